import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type ConnectorDefinition, ConnectorModule } from '@parley/connector-sdk';
import { DIRECTORY_ENTITIES, DIRECTORY_MIGRATIONS, DirectoryModule } from '@parley/server-directory';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { DataSource } from 'typeorm';
import { ConferencingModule } from '../conferencing.module';
import type { ConferencingModuleOptions } from '../conferencing.options';
import { CONFERENCING_ENTITIES } from '../entities';
import { CONFERENCING_MIGRATIONS } from '../migrations';
import { loadConnectorPackages } from '../plugins/load-connectors';
import { fakeConnector } from '../testing';
import { ConferencingEvents } from './conferencing-events.service';
import { ProviderRegistry } from './provider-registry.service';

const ADMIN = { id: 'admin-1', displayName: 'Admin' };
/** A call and a user for `joinInfo`. */
const call = {
  id: 'c1',
  target: { kind: 'user' as const, userId: 'u2' },
  ownerId: 'u1',
  title: 't',
  createdAt: '',
};
const user = { id: 'u1', username: 'u', displayName: 'U', email: null, avatarUrl: '/a', isAdmin: false };

/** The conferencing module (and the directory) on a new SQLite file in `dir`, `definitions` registered. */
async function compileConferencing(
  dir: string,
  definitions: ConnectorDefinition[],
  options: Pick<ConferencingModuleOptions, 'connectors' | 'healthIntervalSeconds'>,
): Promise<TestingModule> {
  const module = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        database: join(dir, 'test.sqlite'),
        entities: [...DIRECTORY_ENTITIES, ...CONFERENCING_ENTITIES],
        migrations: [...DIRECTORY_MIGRATIONS, ...CONFERENCING_MIGRATIONS],
        migrationsRun: true,
      }),
      { ...DirectoryModule.forRoot({ sessionSecret: 'x'.repeat(32), seedDemo: false }), global: true },
      ...definitions.map((definition) => ConnectorModule.register(definition)),
      ConferencingModule.forRoot({
        secretsKey: Buffer.alloc(32, 9),
        publicUrl: 'http://parley.test',
        defaultStunUrl: null,
        ...options,
      }),
    ],
  }).compile();
  await module.init();
  return module;
}

describe('ProviderRegistry (real SQLite, built-in connector registered in-process)', () => {
  let dir: string;
  let module: TestingModule;
  let registry: ProviderRegistry;
  let clientPath: string;
  const isConfigured = jest.fn((settings: Record<string, unknown>) =>
    settings['token'] ? (true as const) : 'Token is not set',
  );

  const builtin = (): ConnectorDefinition => ({
    type: 'builtin-demo',
    title: 'Built-in demo',
    version: '1.0.0',
    description: 'In-process connector',
    supportedTargets: ['user', 'room'],
    capabilities: ['audio', 'video'],
    settingsSchema: {
      type: 'object',
      properties: {
        token: { type: 'string', writeOnly: true, minLength: 4 },
        region: { type: 'string', enum: ['eu', 'us'], default: 'eu' },
      },
    },
    isConfigured,
    joinInfo: (call, user, context) => ({ room: call.id, user: user.id, region: context.settings['region'] }),
    clientModule: { path: clientPath },
  });
  const broken = { ...builtin(), type: 'broken', version: 'one' };

  async function boot(): Promise<void> {
    module = await compileConferencing(dir, [builtin(), broken], {
      connectors: [
        { type: 'builtin-demo', source: { kind: 'builtin' } },
        { type: 'broken', source: { kind: 'builtin' } },
        { type: 'absent', source: { kind: 'package', name: '@acme/absent' } },
      ],
    });
    registry = module.get(ProviderRegistry);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-registry-'));
    clientPath = join(dir, 'client.mjs');
    writeFileSync(
      clientPath,
      'export default { init() {}, canCall() { return true; }, open() { return { close() {} }; } };\n',
    );
    await boot();
  });

  afterAll(async () => {
    await module?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the valid built-in, reports the invalid and the unknown ones', () => {
    const { providers, loadErrors } = registry.adminList();
    expect(providers.map((p) => [p.type, p.source, p.active, p.configured])).toEqual([
      ['builtin-demo', { kind: 'builtin' }, true, false],
    ]);
    expect(providers[0].health).toMatchObject({ status: 'not_configured', reason: 'Token is not set' });
    expect(providers[0].settings).toEqual({ token: { set: false }, region: null });
    expect(loadErrors.map((e) => [e.package, e.message])).toEqual([
      ['builtin:broken', expect.stringContaining('version must be a semver version')],
      ['@acme/absent', expect.stringContaining('Nest could not find')],
    ]);
    expect(registry.usable()).toEqual([]);
  });

  it('validates, encrypts, caches and announces changes; survives a throwing isConfigured', async () => {
    const events = firstValueFrom(module.get(ConferencingEvents).events$.pipe(take(1), toArray()));
    await expect(registry.update('builtin-demo', { settings: { token: 'ab' } }, ADMIN)).rejects.toMatchObject(
      {
        response: { errors: [{ field: 'token', message: 'token must NOT have fewer than 4 characters' }] },
      },
    );
    const view = await registry.update(
      'builtin-demo',
      { settings: { token: 'tok-123', region: 'us' } },
      ADMIN,
    );
    expect(view).toMatchObject({
      configured: true,
      settings: { token: { set: true }, region: 'us' },
      updatedBy: 'Admin',
    });
    expect(await events).toEqual([{ type: 'providers.changed' }]);
    expect(registry.usable().map((p) => p.type)).toEqual(['builtin-demo']);
    const [row] = await module
      .get(DataSource)
      .query("SELECT settings FROM provider_configs WHERE type = 'builtin-demo'");
    expect(row.settings).not.toContain('tok-123');
    expect(await registry.joinInfo('builtin-demo', call, user)).toEqual({
      room: 'c1',
      user: 'u1',
      region: 'us',
    });

    isConfigured.mockImplementationOnce(() => {
      throw new Error('boom');
    });
    const failing = await registry.update(
      'builtin-demo',
      { settings: { token: { set: true }, region: 'eu' } },
      ADMIN,
    );
    expect(failing).toMatchObject({ configured: false, health: { reason: 'isConfigured failed: boom' } });
    expect(registry.usable()).toEqual([]);
    await registry.update('builtin-demo', { settings: { token: { set: true } } }, ADMIN);
    expect(registry.usable().map((p) => p.type)).toEqual(['builtin-demo']);
  });

  it('restores state from the database after a restart (secrets decrypted)', async () => {
    await module.close();
    await boot();
    const [provider] = registry.adminList().providers;
    expect(provider).toMatchObject({ configured: true, settings: { token: { set: true } } });
    expect(registry.connector('builtin-demo').context.settings).toMatchObject({
      token: 'tok-123',
      region: 'eu',
    });
  });
});

describe('ProviderRegistry health gating (fake connectors whose check() flips)', () => {
  let dir: string;
  let module: TestingModule | undefined;
  let registry: ProviderRegistry;
  let events: ConferencingEvents;
  /** What each fake service answers; changed by the tests. */
  const healthy: Record<string, boolean> = { gated: true, plain: false };
  const checks: Record<string, jest.Mock> = {};

  const fake = (type: string, gates: boolean): ConnectorDefinition => {
    checks[type] = jest.fn(() =>
      healthy[type]
        ? { ok: true as const, detail: `${type} fine` }
        : { ok: false as const, reason: `${type} down` },
    );
    return fakeConnector(type, {
      settingsSchema: { type: 'object', properties: { url: { type: 'string' } } },
      joinInfo: () => ({ ok: true }),
      check: checks[type],
      ...(gates ? { healthGatesAvailability: true } : {}),
      clientModule: { path: join(dir, 'client.mjs') },
    });
  };
  const usableTypes = () => registry.usable().map((p) => p.type);
  /** Resolves with the next `providers.changed` push. */
  const nextPush = () => firstValueFrom(events.events$.pipe(filter((e) => e.type === 'providers.changed')));

  async function boot(healthIntervalSeconds: number): Promise<void> {
    await module?.close();
    dir = mkdtempSync(join(tmpdir(), 'parley-health-'));
    writeFileSync(join(dir, 'client.mjs'), 'export default {};\n');
    module = await compileConferencing(dir, [fake('gated', true), fake('plain', false)], {
      connectors: [
        { type: 'gated', source: { kind: 'builtin' } },
        { type: 'plain', source: { kind: 'builtin' } },
      ],
      healthIntervalSeconds,
    });
    registry = module.get(ProviderRegistry);
    events = module.get(ConferencingEvents);
  }

  afterEach(async () => {
    await module?.close();
    module = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('hides a gated provider while its check fails: on save, on Check; never checks on the call path', async () => {
    healthy['gated'] = true;
    healthy['plain'] = false;
    await boot(0);
    // Checked at start-up (in the background): healthy, so usable. `plain` is not gated: not checked
    // automatically, usable whatever its check says.
    await until(() => checks['gated'].mock.calls.length === 1);
    expect(registry.admin('gated').health).toMatchObject({ status: 'ok', reason: 'gated fine' });
    expect(usableTypes()).toEqual(['gated', 'plain']);
    expect(checks['plain']).not.toHaveBeenCalled();

    // New settings while the service is down: re-checked before the save answers, one push, no buttons.
    healthy['gated'] = false;
    const pushed = nextPush();
    const saved = await registry.update('gated', { settings: { url: 'wrong' } }, ADMIN);
    await pushed;
    expect(saved.health).toMatchObject({ status: 'error', reason: 'gated down' });
    expect(registry.admin('gated').health.status).toBe('error');
    expect(usableTypes()).toEqual(['plain']);
    const calls = checks['gated'].mock.calls.length;
    await expect(registry.joinInfo('gated', call, user)).rejects.toThrow('Provider gated is not usable');
    expect(checks['gated'].mock.calls.length).toBe(calls);

    // Fixed on the service side, the admin presses Check: ok again, pushed.
    healthy['gated'] = true;
    const back = nextPush();
    await expect(registry.check('gated')).resolves.toMatchObject({ status: 'ok' });
    await back;
    expect(usableTypes()).toEqual(['gated', 'plain']);
    await expect(registry.joinInfo('gated', call, user)).resolves.toEqual({ ok: true });
    expect(checks['gated'].mock.calls.length).toBe(calls + 1);

    // A failing check of a provider that does not gate shows on the admin page only.
    await expect(registry.check('plain')).resolves.toMatchObject({ status: 'error', reason: 'plain down' });
    expect(usableTypes()).toEqual(['gated', 'plain']);

    // Inactive: not checked; reactivated while down: checked at once and kept hidden.
    await registry.update('gated', { active: false }, ADMIN);
    expect(registry.admin('gated').health.status).toBe('inactive');
    healthy['gated'] = false;
    const reactivated = await registry.update('gated', { active: true }, ADMIN);
    expect(reactivated.health).toMatchObject({ status: 'error', reason: 'gated down' });
    expect(usableTypes()).toEqual(['plain']);
  });

  it('checks periodically and pushes each usable/unusable transition, and only those', async () => {
    healthy['gated'] = true;
    await boot(0.05);
    await until(() => checks['gated'].mock.calls.length >= 2);
    const pushes: string[] = [];
    const subscription = events.events$.subscribe(() => pushes.push(usableTypes().join(',')));
    try {
      healthy['gated'] = false;
      await until(() => pushes.length === 1);
      expect(pushes).toEqual(['plain']);
      expect(registry.admin('gated').health).toMatchObject({ status: 'error', reason: 'gated down' });
      const failing = checks['gated'].mock.calls.length;
      await until(() => checks['gated'].mock.calls.length >= failing + 2);
      expect(pushes).toEqual(['plain']);
      healthy['gated'] = true;
      await until(() => pushes.length === 2);
      expect(pushes).toEqual(['plain', 'gated,plain']);
    } finally {
      subscription.unsubscribe();
    }
  });
});

/** Waits (polling every 10 ms, 5 s at most) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('loadConnectorPackages', () => {
  it('loads by name, and reports missing, broken and non-connector packages without stopping', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-plugins-'));
    try {
      const write = (name: string, code: string) => {
        const folder = join(dir, 'node_modules', name);
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
        writeFileSync(join(folder, 'index.js'), code);
      };
      write('throws-on-load', "throw new Error('bad init');");
      write('not-a-connector', 'module.exports = { hello: 1 };');
      const { loaded, errors } = loadConnectorPackages(
        ['@parley/connector-jitsi', 'throws-on-load', 'not-a-connector', 'missing-pkg'],
        { searchPaths: [dir], require },
      );
      expect(loaded.map((l) => [l.type, l.registration.source])).toEqual([
        ['jitsi', { kind: 'package', name: '@parley/connector-jitsi' }],
      ]);
      expect(errors.map((e) => [e.package, e.message])).toEqual([
        ['throws-on-load', 'failed to load: bad init'],
        ['not-a-connector', expect.stringContaining('does not export `parleyConnector`')],
        ['missing-pkg', expect.stringContaining('package not found')],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
