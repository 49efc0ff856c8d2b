import {
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  type ConnectorCall,
  type ConnectorContext,
  type ConnectorDefinition,
  type ConnectorSettings,
  type ConnectorUser,
  type JoinInfo,
  SettingsValidator,
  connectorToken,
  definitionProblems,
  secretFields,
} from '@parley/connector-sdk';
import type {
  AdminProvider,
  AdminProvidersResponse,
  AdminSettingsValues,
  ConnectorLoadError,
  FieldError,
  ProviderDescriptor,
  ProviderHealth,
  ProviderUpdate,
} from '@parley/protocol';
import { API, errorMessage } from '@parley/protocol';
import { readFile } from 'node:fs/promises';
import {
  CONFERENCING_OPTIONS,
  type ConferencingModuleOptions,
  type ConnectorSource,
  DEFAULT_HEALTH_INTERVAL_SECONDS,
} from '../conferencing.options';
import type { ProviderConfigEntity } from '../entities';
import { ProviderConfigRepository } from '../repositories';
import { invalid, isPlainObject, unknownKeys } from '../util/validation';
import { nowIso } from '../util/time';
import { type Actor, AuditService, REDACTED } from './audit.service';
import { ConferencingEvents } from './conferencing-events.service';
import { IceService } from './ice.service';
import { SecretBox } from './secret-box.service';

const CHECK_TIMEOUT_MS = 5000;

interface ProviderState {
  definition: ConnectorDefinition;
  source: ConnectorSource;
  validator: SettingsValidator;
  secrets: Set<string>;
  active: boolean;
  /** Settings in clear, as stored (no defaults). */
  settings: ConnectorSettings;
  configured: true | string;
  position: number;
  /** Bumped on every change: part of the client module URL. */
  revision: number;
  updatedAt: string | null;
  updatedBy: string | null;
  health: ProviderHealth;
  /** Result of the last `check()` with the current settings (null: none yet). */
  lastCheck: ProviderHealth | null;
  /** How many `check()` runs are under way (the periodic check skips the provider meanwhile). */
  checking: number;
  /** A stored secret that cannot be decrypted (SECRETS_KEY changed). */
  secretError: string | null;
}

/** Whether the provider's `check()` decides if it can be used (`healthGatesAvailability`). */
function gated(state: ProviderState): boolean {
  return state.definition.healthGatesAvailability === true && typeof state.definition.check === 'function';
}

/** Active, configured and, when its health gates availability, not failing its last check. */
function isUsable(state: ProviderState): boolean {
  return state.active && state.configured === true && !(gated(state) && state.lastCheck?.status === 'error');
}

/**
 * The provider registry: every registered connector with its state (active flag, settings with
 * secrets decrypted, order), kept in memory and refreshed on each admin change, so the call path never
 * waits on the database. Changes are pushed live (`providers.changed`).
 *
 * Health: providers whose connector sets `healthGatesAvailability` are checked (`check()`, 5 s limit)
 * at start-up, when they become active or their settings change, when an admin presses Check and every
 * `healthIntervalSeconds`, always off the call path; while their last check failed they are not usable
 * (no buttons, no joins), and every usable/unusable transition is pushed. Other connectors' `check()`
 * runs only when an admin asks, and only shows on the admin page.
 */
@Injectable()
export class ProviderRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ProviderRegistry.name);
  private readonly states = new Map<string, ProviderState>();
  private readonly loadErrors: ConnectorLoadError[];
  private healthTimer: NodeJS.Timeout | null = null;
  /** Time limits of running checks (cleared at shutdown). */
  private readonly checkTimers = new Set<NodeJS.Timeout>();
  private destroyed = false;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly rows: ProviderConfigRepository,
    private readonly secretBox: SecretBox,
    private readonly ice: IceService,
    private readonly audit: AuditService,
    private readonly events: ConferencingEvents,
    @Inject(CONFERENCING_OPTIONS) private readonly options: ConferencingModuleOptions,
  ) {
    this.loadErrors = [...(options.loadErrors ?? [])];
  }

  async onModuleInit(): Promise<void> {
    const definitions: { definition: ConnectorDefinition; source: ConnectorSource }[] = [];
    for (const registration of this.options.connectors) {
      const label =
        registration.source.kind === 'package' ? registration.source.name : `builtin:${registration.type}`;
      try {
        const definition = this.moduleRef.get<ConnectorDefinition>(connectorToken(registration.type), {
          strict: false,
        });
        const problems = definitionProblems(definition);
        if (definition?.type !== registration.type) problems.push(`type must be ${registration.type}`);
        if (problems.length > 0) throw new Error(`invalid connector definition: ${problems.join('; ')}`);
        if (
          this.states.has(definition.type) ||
          definitions.some((d) => d.definition.type === definition.type)
        ) {
          throw new Error(`a connector of type ${definition.type} is already registered`);
        }
        definitions.push({ definition, source: registration.source });
      } catch (error) {
        this.reportLoadError(label, errorMessage(error));
      }
    }
    const rows = new Map((await this.rows.list()).map((row) => [row.type, row]));
    let nextPosition = Math.max(-1, ...[...rows.values()].map((row) => row.position)) + 1;
    for (const { definition, source } of definitions) {
      let row = rows.get(definition.type);
      if (!row) {
        row = {
          type: definition.type,
          active: true,
          settings: '{}',
          position: nextPosition++,
          updatedAt: nowIso(),
          updatedBy: null,
        };
        await this.rows.save(row);
      }
      this.states.set(definition.type, this.stateFrom(definition, source, row));
    }
    this.logger.log(
      `Providers: ${[...this.states.values()].map((s) => `${s.definition.type}${s.active ? '' : ' (inactive)'}${s.configured === true ? '' : ' (not configured)'}`).join(', ') || 'none'}`,
    );
    const interval = this.options.healthIntervalSeconds ?? DEFAULT_HEALTH_INTERVAL_SECONDS;
    if (interval > 0) {
      this.healthTimer = setInterval(() => this.checkGated(), interval * 1000);
      this.healthTimer.unref();
    }
    this.checkGated();
  }

  onModuleDestroy(): void {
    this.destroyed = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = null;
    this.checkTimers.forEach((timer) => clearTimeout(timer));
    this.checkTimers.clear();
  }

  /** Background check of every active, configured provider whose health gates availability. */
  private checkGated(): void {
    for (const state of this.states.values()) {
      if (!gated(state) || !state.active || state.configured !== true || state.checking > 0) continue;
      void this.runCheck(state).then((changed) => {
        if (changed) this.events.emit({ type: 'providers.changed' });
      });
    }
  }

  private reportLoadError(label: string, message: string): void {
    this.logger.error(`Connector ${label} not registered: ${message}`);
    this.loadErrors.push({ package: label, message, at: nowIso() });
  }

  private stateFrom(
    definition: ConnectorDefinition,
    source: ConnectorSource,
    row: ProviderConfigEntity,
  ): ProviderState {
    const validator = new SettingsValidator(definition.settingsSchema);
    const secrets = new Set(secretFields(definition.settingsSchema));
    const stored = JSON.parse(row.settings) as ConnectorSettings;
    const settings: ConnectorSettings = {};
    let secretError: string | null = null;
    for (const [name, value] of Object.entries(stored)) {
      if (secrets.has(name) && typeof value === 'string') {
        try {
          settings[name] = this.secretBox.decrypt(value);
        } catch (error) {
          secretError = `${name}: ${errorMessage(error)}`;
        }
      } else {
        settings[name] = value;
      }
    }
    const state: ProviderState = {
      definition,
      source,
      validator,
      secrets,
      active: row.active,
      settings,
      configured: 'not checked',
      position: row.position,
      revision: 0,
      updatedAt: row.updatedAt,
      updatedBy: row.updatedBy,
      health: { status: 'inactive', reason: null, checkedAt: nowIso() },
      lastCheck: null,
      checking: 0,
      secretError,
    };
    this.refresh(state);
    return state;
  }

  /** Recomputes `configured` and the health from the settings (never throws). */
  private refresh(state: ProviderState): void {
    let configured: true | string;
    if (state.secretError) {
      configured = `A stored secret cannot be read (${state.secretError}); enter it again`;
    } else if (state.validator.validate(state.settings).length > 0) {
      configured = `Settings incomplete: ${state.validator
        .validate(state.settings)
        .map((error) => error.message)
        .join('; ')}`;
    } else {
      try {
        const answer = state.definition.isConfigured(state.validator.withDefaults(state.settings));
        configured =
          answer === true ? true : typeof answer === 'string' && answer ? answer : 'Not configured';
      } catch (error) {
        configured = `isConfigured failed: ${errorMessage(error)}`;
      }
    }
    state.configured = configured;
    state.health =
      state.active && configured === true && state.lastCheck
        ? { ...state.lastCheck }
        : {
            status: !state.active ? 'inactive' : configured === true ? 'ok' : 'not_configured',
            reason: configured === true ? null : configured,
            checkedAt: nowIso(),
          };
  }

  private state(type: string): ProviderState {
    const state = this.states.get(type);
    if (!state) throw new NotFoundException(`Provider ${type} not found`);
    return state;
  }

  private ordered(): ProviderState[] {
    return [...this.states.values()].sort((a, b) => a.position - b.position);
  }

  /**
   * The providers any signed-in user may call with: active, configured, not failing a health check
   * that gates availability; in the admins' order.
   */
  usable(): ProviderDescriptor[] {
    return this.ordered()
      .filter(isUsable)
      .map((state, order) => ({
        type: state.definition.type,
        title: state.definition.title,
        version: state.definition.version,
        description: state.definition.description,
        capabilities: [...state.definition.capabilities],
        supportedTargets: [...state.definition.supportedTargets],
        clientModuleUrl: `${API.providerClient(state.definition.type)}?v=${encodeURIComponent(state.definition.version)}-${state.revision}`,
        order,
        imAccount: state.definition.imAccount ?? null,
      }));
  }

  /** The client half of an active provider (ES module source). */
  async clientModule(type: string): Promise<string> {
    const state = this.states.get(type);
    if (!state || !state.active) throw new NotFoundException(`No active provider ${type}`);
    return readFile(state.definition.clientModule.path, 'utf8');
  }

  /** The definition and a context with current settings, for the call service (in memory, no I/O). */
  connector(type: string): { definition: ConnectorDefinition; context: ConnectorContext } {
    const state = this.state(type);
    return { definition: state.definition, context: this.contextOf(state) };
  }

  /** `joinInfo` of a usable provider (hot path: memory only). */
  async joinInfo(type: string, call: ConnectorCall, user: ConnectorUser): Promise<JoinInfo> {
    const state = this.state(type);
    if (!isUsable(state)) throw new NotFoundException(`Provider ${type} is not usable`);
    return state.definition.joinInfo(call, user, this.contextOf(state));
  }

  private contextOf(state: ProviderState): ConnectorContext {
    const prefix = `[${state.definition.type}] `;
    return {
      settings: state.validator.withDefaults(state.settings),
      publicUrl: this.options.publicUrl.replace(/\/+$/, ''),
      iceConfig: (userId) => this.ice.clientConfig(userId),
      logger: {
        log: (message) => this.logger.log(prefix + message),
        warn: (message) => this.logger.warn(prefix + message),
        error: (message) => this.logger.error(prefix + message),
      },
    };
  }

  adminList(): AdminProvidersResponse {
    return {
      providers: this.ordered().map((state) => this.adminView(state)),
      loadErrors: [...this.loadErrors],
    };
  }

  admin(type: string): AdminProvider {
    return this.adminView(this.state(type));
  }

  private adminView(state: ProviderState): AdminProvider {
    const settings: AdminSettingsValues = {};
    for (const name of Object.keys(state.definition.settingsSchema.properties)) {
      const value = state.settings[name];
      settings[name] = state.secrets.has(name)
        ? { set: typeof value === 'string' && value !== '' }
        : (value ?? null);
    }
    const { definition } = state;
    return {
      type: definition.type,
      title: definition.title,
      version: definition.version,
      description: definition.description,
      capabilities: [...definition.capabilities],
      supportedTargets: [...definition.supportedTargets],
      imAccount: definition.imAccount ?? null,
      source: state.source,
      active: state.active,
      configured: state.configured === true,
      health: { ...state.health },
      order: this.ordered().indexOf(state),
      settingsSchema: definition.settingsSchema,
      settings,
      usesIceServers: definition.usesIceServers === true,
      updatedAt: state.updatedAt,
      updatedBy: state.updatedBy,
    };
  }

  /** Applies an admin change: validated first (400 with per-field errors, nothing saved), then saved. */
  async update(type: string, body: unknown, actor: Actor): Promise<AdminProvider> {
    const state = this.state(type);
    if (!isPlainObject(body))
      throw invalid('Invalid provider update', [{ field: '', message: 'body must be an object' }]);
    const errors = unknownKeys(body, ['active', 'settings']);
    const patch = body as ProviderUpdate;
    if (patch.active !== undefined && typeof patch.active !== 'boolean') {
      errors.push({ field: 'active', message: 'active must be a boolean' });
    }
    if (patch.settings !== undefined && !isPlainObject(patch.settings)) {
      errors.push({ field: 'settings', message: 'settings must be an object' });
    }
    if (errors.length > 0) throw invalid('Invalid provider update', errors);

    const details: Record<string, unknown> = {};
    let settings = state.settings;
    let secretsChanged = false;
    if (patch.settings !== undefined) {
      const merged = this.merge(state, patch.settings);
      const fieldErrors: FieldError[] = state.validator.validate(merged.settings);
      if (fieldErrors.length > 0) throw invalid('Invalid settings', fieldErrors);
      settings = merged.settings;
      secretsChanged = merged.secretsChanged.length > 0;
      const changed: Record<string, unknown> = {};
      for (const name of new Set([...Object.keys(state.settings), ...Object.keys(settings)])) {
        if (state.secrets.has(name)) {
          if (merged.secretsChanged.includes(name)) changed[name] = REDACTED;
        } else if (state.settings[name] !== settings[name]) {
          changed[name] = settings[name] ?? null;
        }
      }
      if (Object.keys(changed).length > 0) details['settings'] = changed;
    }
    const active = patch.active ?? state.active;
    if (active !== state.active) details['active'] = active;

    const updatedAt = nowIso();
    await this.rows.save({
      type,
      active,
      settings: JSON.stringify(this.seal(state, settings)),
      position: state.position,
      updatedAt,
      updatedBy: actor.displayName,
    });
    Object.assign(state, { active, settings, updatedAt, updatedBy: actor.displayName });
    if (secretsChanged) state.secretError = null;
    state.revision++;
    state.lastCheck = null;
    this.refresh(state);
    // New settings or newly active: re-checked now (at most 5 s), so one push carries the outcome.
    if (gated(state)) await this.runCheck(state);
    this.events.emit({ type: 'providers.changed' });
    await this.audit.record(actor, 'provider.update', `provider:${type}`, details);
    return this.adminView(state);
  }

  /** New settings from an admin's form: secrets keep their value unless a string (set) or null (clear) is given. */
  private merge(
    state: ProviderState,
    input: Record<string, unknown>,
  ): { settings: ConnectorSettings; secretsChanged: string[] } {
    const settings: Record<string, unknown> = {};
    const secretsChanged: string[] = [];
    for (const [name, value] of Object.entries(input)) {
      if (state.secrets.has(name)) continue;
      if (value !== null && value !== undefined) settings[name] = value;
    }
    for (const name of state.secrets) {
      const value = input[name];
      const keep =
        value === undefined ||
        (isPlainObject(value) && value['set'] === true && Object.keys(value).length === 1);
      const clear = value === null || value === '' || (isPlainObject(value) && value['set'] === false);
      if (keep) {
        if (state.settings[name] !== undefined) settings[name] = state.settings[name];
      } else if (clear) {
        if (state.settings[name] !== undefined) secretsChanged.push(name);
      } else {
        settings[name] = value;
        if (value !== state.settings[name]) secretsChanged.push(name);
      }
    }
    return { settings: settings as ConnectorSettings, secretsChanged };
  }

  private seal(state: ProviderState, settings: ConnectorSettings): ConnectorSettings {
    return Object.fromEntries(
      Object.entries(settings).map(([name, value]) => [
        name,
        state.secrets.has(name) && typeof value === 'string' ? this.secretBox.encrypt(value) : value,
      ]),
    );
  }

  /** New order: every registered provider type exactly once. */
  async reorder(body: unknown, actor: Actor): Promise<AdminProvidersResponse> {
    const order = isPlainObject(body) ? body['order'] : undefined;
    const known = [...this.states.keys()].sort();
    const errors = isPlainObject(body) ? unknownKeys(body, ['order']) : [];
    if (
      !Array.isArray(order) ||
      order.some((type) => typeof type !== 'string') ||
      JSON.stringify([...order].sort()) !== JSON.stringify(known)
    ) {
      errors.push({
        field: 'order',
        message: `order must list every provider type once: ${known.join(', ')}`,
      });
    }
    if (errors.length > 0) throw invalid('Invalid provider order', errors);
    const types = order as string[];
    const rows = await this.rows.list();
    const changed = rows
      .filter((row) => types.includes(row.type))
      .map((row) => ({ ...row, position: types.indexOf(row.type) }));
    await this.rows.saveAll(changed);
    types.forEach((type, position) => (this.state(type).position = position));
    this.events.emit({ type: 'providers.changed' });
    await this.audit.record(actor, 'provider.reorder', 'providers', { order: types });
    return this.adminList();
  }

  /**
   * The admin's Check button: runs the connector's `check()` (5 s limit) and keeps the result as the
   * provider's health; pushes `providers.changed` when that makes the provider (un)usable.
   */
  async check(type: string): Promise<ProviderHealth> {
    const state = this.state(type);
    if (await this.runCheck(state)) this.events.emit({ type: 'providers.changed' });
    return { ...state.health };
  }

  /**
   * Runs `check()` of an active, configured provider (5 s limit) and keeps the result, unless the
   * settings changed meanwhile (a newer check follows). Answers whether the provider became usable or
   * unusable. Never throws.
   */
  private async runCheck(state: ProviderState): Promise<boolean> {
    this.refresh(state);
    const check = state.definition.check;
    if (!state.active || state.configured !== true || !check) return false;
    const revision = state.revision;
    state.checking++;
    let timer: NodeJS.Timeout | undefined;
    let result: ProviderHealth;
    try {
      const answer = await Promise.race([
        Promise.resolve(check(this.contextOf(state))),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)),
            CHECK_TIMEOUT_MS,
          );
          this.checkTimers.add(timer);
        }),
      ]);
      result = {
        status: answer.ok ? 'ok' : 'error',
        reason: answer.ok ? (answer.detail ?? null) : answer.reason,
        checkedAt: nowIso(),
      };
    } catch (error) {
      result = { status: 'error', reason: `check failed: ${errorMessage(error)}`, checkedAt: nowIso() };
    } finally {
      if (timer) {
        clearTimeout(timer);
        this.checkTimers.delete(timer);
      }
      state.checking--;
    }
    if (this.destroyed || state.revision !== revision) return false;
    const before = isUsable(state);
    state.lastCheck = result;
    this.refresh(state);
    const after = isUsable(state);
    if (before === after) return false;
    const type = state.definition.type;
    if (after) this.logger.log(`Provider ${type} is healthy again: its call buttons are back`);
    else this.logger.warn(`Provider ${type} failed its health check (${result.reason}): no call buttons`);
    return true;
  }
}
