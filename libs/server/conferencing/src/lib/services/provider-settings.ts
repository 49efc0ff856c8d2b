/**
 * An admin's changes to a provider: the request checked, new settings merged with the stored ones
 * (write-only secrets), sealed for the database, and what the audit log may say of them.
 */
import type { ConnectorSettings } from '@parley/connector-sdk';
import type { FieldError, ProviderUpdate } from '@parley/protocol';
import { invalid, isPlainObject, unknownKeys } from '../util/validation';
import { REDACTED } from './audit.service';
import type { ProviderState } from './provider-state';

/** `PATCH /api/admin/providers/:type`'s body, checked (400 with per-field errors otherwise). */
export function providerUpdate(body: unknown): ProviderUpdate {
  if (!isPlainObject(body))
    throw invalid('Invalid provider update', [{ field: '', message: 'body must be an object' }]);
  const errors: FieldError[] = unknownKeys(body, ['active', 'settings']);
  const patch = body as ProviderUpdate;
  if (patch.active !== undefined && typeof patch.active !== 'boolean') {
    errors.push({ field: 'active', message: 'active must be a boolean' });
  }
  if (patch.settings !== undefined && !isPlainObject(patch.settings)) {
    errors.push({ field: 'settings', message: 'settings must be an object' });
  }
  if (errors.length > 0) throw invalid('Invalid provider update', errors);
  return patch;
}

/** New settings from an admin's form: secrets keep their value unless a string (set) or null (clear) is given. */
export function mergeSettings(
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
    const clear = clears(value);
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

/** A secret's clear in an admin's form: `null`, `''` or `{ set: false }`. */
function clears(value: unknown): boolean {
  return value === null || value === '' || (isPlainObject(value) && value['set'] === false);
}

/**
 * The schema's errors for merged settings, except that a write-only secret the admin cleared may
 * be missing although `required`: clearing it is allowed, and leaves the provider not configured
 * ("Settings incomplete: … is required", `refreshProviderState`) until a new value is entered.
 */
export function settingsErrors(
  state: ProviderState,
  input: Record<string, unknown>,
  settings: ConnectorSettings,
): FieldError[] {
  const cleared = new Set(
    [...state.secrets].filter((name) => clears(input[name]) && settings[name] === undefined),
  );
  return state.validator.validate(settings).filter((error) => !cleared.has(error.field));
}

export function sealSettings(
  state: ProviderState,
  settings: ConnectorSettings,
  encrypt: (clear: string) => string,
): ConnectorSettings {
  return Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [
      name,
      state.secrets.has(name) && typeof value === 'string' ? encrypt(value) : value,
    ]),
  );
}

/** The changed settings for the audit log: a changed secret shows as redacted, never its value. */
export function auditedChanges(
  state: ProviderState,
  settings: ConnectorSettings,
  secretsChanged: string[],
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const name of new Set([...Object.keys(state.settings), ...Object.keys(settings)])) {
    if (state.secrets.has(name)) {
      if (secretsChanged.includes(name)) changed[name] = REDACTED;
    } else if (state.settings[name] !== settings[name]) {
      changed[name] = settings[name] ?? null;
    }
  }
  return changed;
}
