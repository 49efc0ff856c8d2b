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
  type ConnectorUser,
  type JoinInfo,
  PREPARE_TIMEOUT_MS,
  type PreparedCall,
  connectorToken,
  definitionProblems,
  within,
} from '@parley/connector-sdk';
import type {
  AdminProvider,
  AdminProvidersResponse,
  ConnectorLoadError,
  FieldError,
  ProviderDescriptor,
  ProviderHealth,
} from '@parley/protocol';
import { errorMessage } from '@parley/protocol';
import { readFile } from 'node:fs/promises';
import {
  CONFERENCING_OPTIONS,
  type ConferencingModuleOptions,
  type ConnectorSource,
  DEFAULT_HEALTH_INTERVAL_SECONDS,
} from '../conferencing.options';
import { ProviderConfigRepository } from '../repositories';
import { invalid, isPlainObject, unknownKeys } from '../util/validation';
import { nowIso } from '../util/time';
import { type Actor, AuditService } from './audit.service';
import { ConferencingEvents } from './conferencing-events.service';
import { IceService } from './ice.service';
import {
  auditedChanges,
  mergeSettings,
  providerUpdate,
  sealSettings,
  settingsErrors,
} from './provider-settings';
import { ProviderHealthChecks } from './provider-health';
import {
  adminHealth,
  adminView,
  descriptor,
  gated,
  isUsable,
  openProviderState,
  type ProviderState,
  refreshProviderState,
} from './provider-state';
import { SecretBox } from './secret-box.service';
import { reloadProviderStates } from './registry-reload';

/**
 * The provider registry: every registered connector with its state (active flag, settings with
 * secrets decrypted, order), kept in memory and refreshed on each admin change, so the call path never
 * waits on the database. Changes are pushed live (`providers.changed`).
 *
 * Health (`provider-health.ts`): providers whose connector sets `healthGatesAvailability` are checked (`check()`, 5 s limit)
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
  private readonly health: ProviderHealthChecks;

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
    this.health = new ProviderHealthChecks(
      (state) => this.contextOf(state),
      () => this.events.emit({ type: 'providers.changed' }),
      this.logger,
    );
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
        // A plug-in starts inactive: an admin configures it, then switches it on. The built-in
        // connector works out of the box and starts active.
        row = {
          type: definition.type,
          active: source.kind === 'builtin',
          settings: '{}',
          position: nextPosition++,
          updatedAt: nowIso(),
          updatedBy: null,
        };
        await this.rows.save(row);
      }
      this.states.set(
        definition.type,
        openProviderState(definition, source, row, (sealed) => this.secretBox.decrypt(sealed)),
      );
    }
    this.logger.log(
      `Providers: ${[...this.states.values()].map((s) => `${s.definition.type}${s.active ? '' : ' (inactive)'}${s.configured === true ? '' : ' (not configured)'}`).join(', ') || 'none'}`,
    );
    this.health.start(
      () => this.states.values(),
      this.options.healthIntervalSeconds ?? DEFAULT_HEALTH_INTERVAL_SECONDS,
    );
  }

  onModuleDestroy(): void {
    this.health.stop();
  }

  private reportLoadError(label: string, message: string): void {
    this.logger.error(`Connector ${label} not registered: ${message}`);
    this.loadErrors.push({ package: label, message, at: nowIso() });
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
      .map((state, order) => descriptor(state, order));
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

  /** `joinInfo` of a usable provider (hot path: memory only), with the call's prepared data. */
  async joinInfo(
    type: string,
    call: ConnectorCall,
    user: ConnectorUser,
    prepared: PreparedCall = {},
  ): Promise<JoinInfo> {
    const state = this.state(type);
    if (!isUsable(state)) throw new NotFoundException(`Provider ${type} is not usable`);
    return state.definition.joinInfo(call, user, { ...this.contextOf(state), prepared });
  }

  /**
   * The provider's `prepare` of a call (`{}` when it has none), limited to `PREPARE_TIMEOUT_MS`.
   * The calls library runs it once per call (`CallPreparations`); a usable provider only.
   */
  async prepare(type: string, call: ConnectorCall): Promise<PreparedCall> {
    const state = this.state(type);
    const { definition } = state;
    if (!definition.prepare) return {};
    if (!isUsable(state)) throw new NotFoundException(`Provider ${type} is not usable`);
    const seconds = PREPARE_TIMEOUT_MS / 1000;
    return within(
      PREPARE_TIMEOUT_MS,
      Promise.resolve(definition.prepare(call, this.contextOf(state))),
      `${definition.title} did not prepare the call within ${seconds} s`,
    );
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
      providers: this.ordered().map((state, order) => adminView(state, order)),
      loadErrors: [...this.loadErrors],
    };
  }

  admin(type: string): AdminProvider {
    const state = this.state(type);
    return adminView(state, this.ordered().indexOf(state));
  }

  /** Applies an admin change: validated first (400 with per-field errors, nothing saved), then saved. */
  async update(type: string, body: unknown, actor: Actor): Promise<AdminProvider> {
    const state = this.state(type);
    const patch = providerUpdate(body);

    const details: Record<string, unknown> = {};
    let settings = state.settings;
    let secretsChanged = false;
    if (patch.settings !== undefined) {
      const merged = mergeSettings(state, patch.settings);
      const fieldErrors: FieldError[] = settingsErrors(state, patch.settings, merged.settings);
      if (fieldErrors.length > 0) throw invalid('Invalid settings', fieldErrors);
      settings = merged.settings;
      secretsChanged = merged.secretsChanged.length > 0;
      const changed = auditedChanges(state, settings, merged.secretsChanged);
      if (Object.keys(changed).length > 0) details['settings'] = changed;
    }
    const active = patch.active ?? state.active;
    if (active !== state.active) details['active'] = active;

    const updatedAt = nowIso();
    await this.rows.save({
      type,
      active,
      settings: JSON.stringify(sealSettings(state, settings, (clear) => this.secretBox.encrypt(clear))),
      position: state.position,
      updatedAt,
      updatedBy: actor.displayName,
    });
    Object.assign(state, { active, settings, updatedAt, updatedBy: actor.displayName });
    if (secretsChanged) state.secretError = null;
    state.revision++;
    state.lastCheck = null;
    refreshProviderState(state);
    // New settings or newly active: re-checked now (at most 5 s), so one push carries the outcome.
    if (gated(state)) await this.health.run(state);
    this.events.emit({ type: 'providers.changed' });
    await this.audit.record(actor, 'provider.update', `provider:${type}`, details);
    return adminView(state, this.ordered().indexOf(state));
  }

  /** New order: every registered provider type exactly once. */
  /**
   * Cluster mode: another node saved an admin change to the shared `provider_configs`; re-read
   * the rows into this node's states (nothing saved, audited or pushed: that node pushed). Returns
   * the types whose state changed.
   */
  reloadFromDatabase(): Promise<string[]> {
    return reloadProviderStates(this.states, this.rows, this.secretBox);
  }

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
    if (await this.health.run(state)) this.events.emit({ type: 'providers.changed' });
    return adminHealth(state);
  }
}
