import type { FieldError, SettingsProperty, SettingsSchema } from '@parley/protocol';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ConnectorSettings } from './definition';
import { formatProblem, patternProblem } from './pattern-words';

const PROPERTY_TYPES = new Set(['string', 'number', 'integer', 'boolean']);

/** Names of the secret (`writeOnly`) properties of a settings schema. */
export function secretFields(schema: SettingsSchema): string[] {
  return Object.entries(schema.properties)
    .filter(([, property]) => property.writeOnly === true)
    .map(([name]) => name);
}

/**
 * Problems that make a settings schema unusable by Parley (empty when fine): not a flat object of
 * string/number/integer/boolean properties, a secret that is not a string, a `required` name that is
 * not a property, or anything the JSON Schema compiler refuses.
 */
export function settingsSchemaProblems(schema: unknown): string[] {
  const problems: string[] = [];
  if (typeof schema !== 'object' || schema === null) {
    return ['settingsSchema must be an object'];
  }
  const candidate = schema as Partial<SettingsSchema>;
  if (candidate.type !== 'object') problems.push('settingsSchema.type must be "object"');
  if (typeof candidate.properties !== 'object' || candidate.properties === null) {
    problems.push('settingsSchema.properties must be an object');
    return problems;
  }
  for (const [name, property] of Object.entries(candidate.properties as Record<string, SettingsProperty>)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) problems.push(`property ${name}: name must be an identifier`);
    if (!PROPERTY_TYPES.has(property?.type)) {
      problems.push(`property ${name}: type must be string, number, integer or boolean`);
    }
    if (property?.writeOnly && property.type !== 'string') {
      problems.push(`property ${name}: a secret (writeOnly) must be a string`);
    }
    if (property?.writeOnly && property.default !== undefined) {
      problems.push(`property ${name}: a secret (writeOnly) cannot have a default`);
    }
  }
  for (const name of candidate.required ?? []) {
    if (!(name in candidate.properties)) problems.push(`required names unknown property ${name}`);
  }
  if (problems.length === 0) {
    try {
      newAjv().compile(schema);
    } catch (error) {
      problems.push(
        `settingsSchema does not compile: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return problems;
}

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, useDefaults: false, coerceTypes: false });
  addFormats(ajv);
  // Parley's own annotation: what a value must look like when it does not match `pattern`.
  ajv.addKeyword({ keyword: 'patternMessage', schemaType: 'string' });
  return ajv;
}

function fieldOf(error: ErrorObject): string {
  if (error.keyword === 'required')
    return String((error.params as { missingProperty: string }).missingProperty);
  if (error.keyword === 'additionalProperties') {
    return String((error.params as { additionalProperty: string }).additionalProperty);
  }
  return error.instancePath.replace(/^\//, '').split('/')[0] ?? '';
}

function messageOf(error: ErrorObject, schema: SettingsSchema): string {
  const field = fieldOf(error);
  const property = schema.properties[field];
  const label = property?.title ?? field;
  switch (error.keyword) {
    case 'required':
      return `${label} is required`;
    case 'additionalProperties':
      return `${field} is not a setting of this provider`;
    case 'type':
      return `${label} must be of type ${String((error.params as { type: string }).type)}`;
    case 'format':
      return formatProblem(label, String((error.params as { format: string }).format));
    case 'pattern':
      // Never the regular expression itself: the admin is told what is expected.
      return patternProblem(label, property);
    default:
      return `${label} ${error.message ?? 'is invalid'}`;
  }
}

/** Validates settings against a schema with per-field errors; `validate` is compiled once. */
export class SettingsValidator {
  private readonly validateFn: ValidateFunction;

  constructor(readonly schema: SettingsSchema) {
    const problems = settingsSchemaProblems(schema);
    if (problems.length > 0) {
      throw new Error(`Invalid settings schema: ${problems.join('; ')}`);
    }
    this.validateFn = newAjv().compile({ ...schema, additionalProperties: false });
  }

  /** Per-field errors (one per field, the first found), empty when valid. */
  validate(settings: unknown): FieldError[] {
    if (this.validateFn(settings)) {
      return [];
    }
    const errors = new Map<string, string>();
    for (const error of this.validateFn.errors ?? []) {
      const field = fieldOf(error);
      if (!errors.has(field)) errors.set(field, messageOf(error, this.schema));
    }
    return [...errors].map(([field, message]) => ({ field, message }));
  }

  /** The settings with schema defaults filled in for absent properties. */
  withDefaults(settings: ConnectorSettings): ConnectorSettings {
    const result: ConnectorSettings = { ...settings };
    for (const [name, property] of Object.entries(this.schema.properties)) {
      if (result[name] === undefined && property.default !== undefined) result[name] = property.default;
    }
    return result;
  }
}
