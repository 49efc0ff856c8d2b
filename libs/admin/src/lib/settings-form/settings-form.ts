import type { AdminSettingsValues, SecretState, SettingsProperty, SettingsSchema } from '@parley/protocol';

/** How one schema property is edited. */
export type SettingsFieldKind = 'text' | 'number' | 'checkbox' | 'select' | 'secret';

/** One field of the settings form, derived from the provider's settings schema. */
export interface SettingsField {
  key: string;
  label: string;
  description: string | null;
  kind: SettingsFieldKind;
  property: SettingsProperty;
  required: boolean;
  options: readonly (string | number)[];
}

/** What the admin typed: strings for text/number/select, booleans for checkboxes. */
export type SettingsDraft = Record<string, string | boolean>;

/** Per secret field: keep the stored value, replace it (the draft's text) or clear it. */
export type SecretIntent = 'keep' | 'replace' | 'clear';

/** The form fields of a schema, in the schema's property order. */
export function settingsFields(schema: SettingsSchema): SettingsField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([key, property]) => ({
    key,
    label: property.title ?? key,
    description: property.description ?? null,
    kind: property.writeOnly
      ? 'secret'
      : property.enum?.length
        ? 'select'
        : property.type === 'boolean'
          ? 'checkbox'
          : property.type === 'string'
            ? 'text'
            : 'number',
    property,
    required: required.has(key),
    options: property.enum ?? [],
  }));
}

export function isSecretState(value: unknown): value is SecretState {
  return typeof value === 'object' && value !== null && typeof (value as SecretState).set === 'boolean';
}

/** The draft that shows the stored values (secrets start empty: write-only). */
export function initialDraft(fields: readonly SettingsField[], values: AdminSettingsValues): SettingsDraft {
  const draft: SettingsDraft = {};
  for (const field of fields) {
    const value = values[field.key];
    if (field.kind === 'checkbox') {
      draft[field.key] = typeof value === 'boolean' ? value : field.property.default === true;
    } else if (field.kind === 'secret') {
      draft[field.key] = '';
    } else {
      draft[field.key] = value === null || value === undefined || isSecretState(value) ? '' : String(value);
    }
  }
  return draft;
}

/**
 * The `settings` of a `PUT /api/admin/providers/:type`: non-secret values replace the stored ones
 * (an empty text leaves the field unset); numbers are sent as numbers when they parse, else as
 * typed (so the server names the wrong type); secrets are sent only when replaced (string) or
 * cleared (null). Validation is the server's: its per-field errors are shown inline.
 */
export function settingsPayload(
  fields: readonly SettingsField[],
  draft: SettingsDraft,
  secrets: Readonly<Record<string, SecretIntent>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = draft[field.key];
    if (field.kind === 'secret') {
      const intent = secrets[field.key] ?? 'keep';
      if (intent === 'clear') out[field.key] = null;
      else if (typeof value === 'string' && value !== '') out[field.key] = value;
      continue;
    }
    if (field.kind === 'checkbox') {
      out[field.key] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') continue;
    if (field.property.type === 'number' || field.property.type === 'integer') {
      const number = Number(text);
      out[field.key] = Number.isFinite(number) ? number : text;
    } else {
      out[field.key] = text;
    }
  }
  return out;
}
