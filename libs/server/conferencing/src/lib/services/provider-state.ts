/**
 * One registered provider as the registry holds it in memory: definition, settings in clear,
 * active flag, order, health, and the views made of it (what users and admins see).
 */
import {
  type ConnectorDefinition,
  type ConnectorSettings,
  SettingsValidator,
  secretFields,
} from '@parley/connector-sdk';
import type {
  AdminProvider,
  AdminSettingsValues,
  ProviderDescriptor,
  ProviderHealth,
  UnavailableCapability,
} from '@parley/protocol';
import { API, errorMessage } from '@parley/protocol';
import type { ConnectorSource } from '../conferencing.options';
import type { ProviderConfigEntity } from '../entities';
import { nowIso } from '../util/time';

export interface ProviderState {
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
export function gated(state: ProviderState): boolean {
  return state.definition.healthGatesAvailability === true && typeof state.definition.check === 'function';
}

/** Active, configured and, when its health gates availability, not failing its last check. */
export function isUsable(state: ProviderState): boolean {
  return state.active && state.configured === true && !(gated(state) && state.lastCheck?.status === 'error');
}

/** The state of a provider from its stored row (secrets decrypted with `decrypt`). */
export function openProviderState(
  definition: ConnectorDefinition,
  source: ConnectorSource,
  row: ProviderConfigEntity,
  decrypt: (sealed: string) => string,
): ProviderState {
  const validator = new SettingsValidator(definition.settingsSchema);
  const secrets = new Set(secretFields(definition.settingsSchema));
  const stored = JSON.parse(row.settings) as ConnectorSettings;
  const settings: ConnectorSettings = {};
  let secretError: string | null = null;
  for (const [name, value] of Object.entries(stored)) {
    if (secrets.has(name) && typeof value === 'string') {
      try {
        settings[name] = decrypt(value);
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
  refreshProviderState(state);
  return state;
}

/** Recomputes `configured` and the health from the settings (never throws). */
export function refreshProviderState(state: ProviderState): void {
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
      configured = answer === true ? true : typeof answer === 'string' && answer ? answer : 'Not configured';
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

/** What users see of a usable provider, at `order` among the usable ones. */
export function descriptor(state: ProviderState, order: number): ProviderDescriptor {
  const { definition } = state;
  return {
    ...identity(definition),
    clientModuleUrl: `${API.providerClient(definition.type)}?v=${encodeURIComponent(definition.version)}-${state.revision}`,
    order,
  };
}

/** What a connector says of itself, as users and admins see it. */
function identity(definition: ConnectorDefinition): Omit<ProviderDescriptor, 'clientModuleUrl' | 'order'> {
  return {
    type: definition.type,
    title: definition.title,
    version: definition.version,
    description: definition.description,
    capabilities: [...definition.capabilities],
    supportedTargets: [...definition.supportedTargets],
    imAccount: definition.imAccount ?? null,
    ...(definition.linkOut ? { linkOut: definition.linkOut } : {}),
  };
}

/**
 * The provider's health as admins see it: with what the connector says it cannot do here now
 * (`unavailableCapabilities`: only declared capabilities with a reason; a throwing answer counts as none).
 */
export function adminHealth(state: ProviderState): ProviderHealth {
  return { ...state.health, unavailable: unavailableOf(state.definition) };
}

function unavailableOf(definition: ConnectorDefinition): UnavailableCapability[] {
  let answer: readonly UnavailableCapability[];
  try {
    answer = definition.unavailableCapabilities?.() ?? [];
  } catch {
    return [];
  }
  if (!Array.isArray(answer)) return [];
  return answer
    .filter(
      (item) =>
        definition.capabilities.includes(item?.capability) &&
        typeof item.reason === 'string' &&
        item.reason !== '',
    )
    .map(({ capability, reason }) => ({ capability, reason }));
}

/** What admins see: secrets only as `{ set }`, never their value. */
export function adminView(state: ProviderState, order: number): AdminProvider {
  const settings: AdminSettingsValues = {};
  for (const name of Object.keys(state.definition.settingsSchema.properties)) {
    const value = state.settings[name];
    settings[name] = state.secrets.has(name)
      ? { set: typeof value === 'string' && value !== '' }
      : (value ?? null);
  }
  const { definition } = state;
  return {
    ...identity(definition),
    source: state.source,
    active: state.active,
    configured: state.configured === true,
    health: adminHealth(state),
    order,
    settingsSchema: definition.settingsSchema,
    settings,
    usesIceServers: definition.usesIceServers === true,
    updatedAt: state.updatedAt,
    updatedBy: state.updatedBy,
  };
}
