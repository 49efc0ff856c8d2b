/**
 * `@parley/connector-sdk/testing`: the conformance kit. In a jest spec of your package:
 *
 * ```ts
 * import { describeConnectorConformance } from '@parley/connector-sdk/testing';
 * describeConnectorConformance({
 *   load: () => require('@acme/parley-zoom'),
 *   validSettings: { apiKey: 'k', apiSecret: 's3cret-s3cret' },
 *   invalidSettings: [{ settings: { apiKey: 42 }, field: 'apiKey' }],
 * });
 * ```
 *
 * It checks: the definition is valid; the settings schema is usable; `isConfigured` accepts the valid
 * settings and refuses empty ones; invalid settings are refused with the right field; `joinInfo` works
 * for each supported target and returns JSON; no secret appears in what reaches a browser (join info,
 * client module); `prepare` (when present) runs once for concurrent joins of one call and its
 * result reaches every `joinInfo`; the client half loads as an ES module and survives a failing `init`.
 */
import type { CallTarget, CallTargetKind } from '@parley/protocol';
import { readFileSync } from 'node:fs';
import type {
  ConnectorCall,
  ConnectorContext,
  ConnectorDefinition,
  ConnectorSettings,
  ConnectorUser,
  JoinContext,
  PreparedCall,
} from '../lib/definition';
import { CallPreparations } from '../lib/lifecycle';
import { readConnectorModule } from '../lib/module';
import { SettingsValidator, secretFields, settingsSchemaProblems } from '../lib/schema';
import { definitionProblems } from '../lib/validate-definition';
import { probeClientModule, type ClientProbeResult } from './client-probe';

export { probeClientModule, type ClientProbeResult } from './client-probe';

export interface ConformanceOptions {
  /**
   * Returns the connector: a package's exports (with `parleyConnector`), a module made with
   * `ConnectorModule.register`, or a definition (for a built-in registered in-process).
   */
  load(): unknown;
  /** Settings (secrets in clear) with which the connector is configured. */
  validSettings: ConnectorSettings;
  /** Settings the schema must refuse, each with the field expected in the errors. */
  invalidSettings?: { settings: Record<string, unknown>; field: string }[];
  /** Name of the describe block (default: `connector <type> conformance`). */
  name?: string;
  /**
   * The lifecycle check: `joins` users join one call at once (default 5); with `prepare`, it must
   * run exactly once for them. `creates` (optional) counts what the provider was asked to create
   * (your fake server's `create` requests): it must grow by exactly one.
   */
  lifecycle?: { joins?: number; creates?: () => number | Promise<number> };
}

/** Turns whatever `load` returned into a definition. */
export function resolveDefinition(loaded: unknown): ConnectorDefinition {
  if (typeof loaded === 'object' && loaded !== null && 'joinInfo' in loaded && 'type' in loaded) {
    return loaded as ConnectorDefinition;
  }
  const info = readConnectorModule(loaded);
  if (!info.definition) {
    throw new Error(
      'the conformance kit needs a definition: for registerAsync modules, load() must return the definition',
    );
  }
  return info.definition;
}

const USER: ConnectorUser = {
  id: 'user-conformance-1',
  username: 'conformance',
  displayName: 'Conformance Tester',
  email: 'conformance@example.test',
  avatarUrl: '/api/users/user-conformance-1/avatar.svg',
  isAdmin: false,
};

function targetFor(kind: CallTargetKind): CallTarget {
  return kind === 'user' ? { kind, userId: 'user-conformance-2' } : { kind, roomId: 'room-conformance-1' };
}

function callFor(kind: CallTargetKind): ConnectorCall {
  return {
    id: `call-${kind}-conformance`,
    target: targetFor(kind),
    ownerId: kind === 'user' ? USER.id : 'room-conformance-1',
    title: `Conformance ${kind} call`,
    createdAt: new Date().toISOString(),
  };
}

/** The forms in which a secret could leak: as is, base64, base64url, hex, URL-encoded. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    secret,
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    encodeURIComponent(secret),
  ];
}

/** Defines a jest `describe` block with the whole conformance suite. */
export function describeConnectorConformance(options: ConformanceOptions): void {
  let definition: ConnectorDefinition;
  try {
    definition = resolveDefinition(options.load());
  } catch (error) {
    describe(options.name ?? 'connector conformance', () => {
      it('loads', () => {
        throw error;
      });
    });
    return;
  }
  describe(options.name ?? `connector ${definition.type} conformance`, () => {
    const context = (settings: ConnectorSettings): ConnectorContext => ({
      settings,
      publicUrl: 'http://parley.example.test',
      iceConfig: () => ({ iceServers: [], iceTransportPolicy: 'all', expiresAt: null }),
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const validator = () => new SettingsValidator(definition.settingsSchema);
    const settings = () => validator().withDefaults(options.validSettings);
    /** As Parley joins: the call's one `prepare` run (shared), then `joinInfo` with its result. */
    const preparations = new CallPreparations();
    const join = async (call: ConnectorCall, user: ConnectorUser, count = () => undefined as void) => {
      const base = context(settings());
      const prepared: PreparedCall = await preparations.get(call.id, () => {
        count();
        return definition.prepare ? definition.prepare(call, base) : {};
      });
      const joinContext: JoinContext = { ...base, prepared };
      return definition.joinInfo(call, user, joinContext);
    };

    it('has a valid definition', () => {
      expect(definitionProblems(definition)).toEqual([]);
    });

    it('has a usable settings schema with string secrets', () => {
      expect(settingsSchemaProblems(definition.settingsSchema)).toEqual([]);
      for (const name of secretFields(definition.settingsSchema)) {
        expect(definition.settingsSchema.properties[name]?.type).toBe('string');
      }
    });

    it('accepts the valid settings and is configured with them', () => {
      expect(validator().validate(options.validSettings)).toEqual([]);
      expect(definition.isConfigured(settings())).toBe(true);
    });

    it('is not configured without settings, and says why', () => {
      const answer = definition.isConfigured(validator().withDefaults({}));
      if (validator().validate({}).length === 0) {
        // Nothing is required: a connector that works out of the box.
        expect(answer === true || typeof answer === 'string').toBe(true);
      } else {
        expect(typeof answer).toBe('string');
        expect((answer as string).length).toBeGreaterThan(0);
      }
    });

    it('refuses invalid settings with per-field errors', () => {
      const cases = options.invalidSettings ?? [];
      cases.push({ settings: { ...options.validSettings, notASetting: true }, field: 'notASetting' });
      for (const { settings: invalid, field } of cases) {
        const errors = validator().validate(invalid);
        expect(errors.map((error) => error.field)).toContain(field);
      }
    });

    it.each([...definition.supportedTargets])('returns joinInfo as JSON for a %s call', async (kind) => {
      const info = await join(callFor(kind), USER);
      expect(typeof info).toBe('object');
      expect(JSON.parse(JSON.stringify(info))).toEqual(info);
    });

    it('never puts a secret into what reaches a browser', async () => {
      const secrets = secretFields(definition.settingsSchema)
        .map((name) => options.validSettings[name])
        .filter((value): value is string => typeof value === 'string' && value.length > 0);
      const payloads = [readFileSync(definition.clientModule.path, 'utf8')];
      for (const kind of definition.supportedTargets) {
        payloads.push(JSON.stringify(await join(callFor(kind), USER)));
      }
      for (const secret of secrets) {
        for (const form of secretForms(secret)) {
          for (const payload of payloads) expect(payload).not.toContain(form);
        }
      }
    });

    it('prepares a call once, even when its participants join at once', async () => {
      const joins = options.lifecycle?.joins ?? 5;
      const call = { ...callFor(definition.supportedTargets[0]), id: 'call-conformance-concurrent' };
      const creates = options.lifecycle?.creates;
      const before = creates ? await creates() : 0;
      let runs = 0;
      const users = Array.from({ length: joins }, (_, i) => ({
        ...USER,
        id: `user-conformance-join-${i}`,
        username: `conformance${i}`,
      }));
      const infos = await Promise.all(users.map((user) => join(call, user, () => void runs++)));
      expect(runs).toBe(1);
      for (const info of infos) expect(JSON.parse(JSON.stringify(info))).toEqual(info);
      if (creates) expect((await creates()) - before).toBe(definition.prepare ? 1 : 0);
    });

    describe('client half', () => {
      let probe: ClientProbeResult;
      beforeAll(async () => {
        probe = await probeClientModule(
          definition.clientModule.path,
          definition.supportedTargets.map(targetFor),
        );
      });

      it('loads as an ES module whose default export has init, canCall and open', () => {
        expect(probe.loadError).toBeUndefined();
        expect(probe.loaded).toBe(true);
        expect(probe.shape).toEqual({ init: true, canCall: true, open: true });
      });

      it('survives a failing init: no crash, and no button after init failed', () => {
        expect(probe.crashes).toEqual([]);
        for (const scenario of probe.failingInit) {
          if (scenario.initFailed)
            expect([scenario.scenario, scenario.canCallAfter]).not.toEqual([scenario.scenario, 'true']);
        }
        expect(probe.failingInit.some((scenario) => scenario.initFailed)).toBe(true);
      });

      it('can call each supported target after a good init', () => {
        expect(probe.goodInitError).toBeUndefined();
        expect(probe.canCall.map((entry) => entry.result)).toEqual(
          definition.supportedTargets.map(() => 'true'),
        );
      });
    });
  });
}
