import { CALL_TARGET_KINDS, LINK_OUT_MODES, PROVIDER_CAPABILITIES } from '@parley/protocol';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { CONNECTOR_TYPE_PATTERN, type ConnectorDefinition } from './definition';
import { settingsSchemaProblems } from './schema';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Everything wrong with a connector definition (empty when valid). Parley refuses to register a
 * definition with problems and reports them on the admin page; the conformance kit asserts none.
 */
export function definitionProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['the definition must be an object'];
  const definition = value as Partial<ConnectorDefinition>;
  const problems: string[] = [];
  const text = (name: 'title' | 'description') => {
    const field = definition[name];
    if (typeof field !== 'string' || field.trim() === '') problems.push(`${name} must be a non-empty string`);
  };
  if (typeof definition.type !== 'string' || !CONNECTOR_TYPE_PATTERN.test(definition.type)) {
    problems.push('type must be lowercase letters, digits and dashes, starting with a letter (max 40)');
  }
  text('title');
  text('description');
  if (typeof definition.version !== 'string' || !SEMVER.test(definition.version)) {
    problems.push('version must be a semver version (e.g. 1.2.3)');
  }
  const targets = definition.supportedTargets;
  if (!Array.isArray(targets) || targets.length === 0) {
    problems.push(`supportedTargets must list at least one of ${CALL_TARGET_KINDS.join(', ')}`);
  } else {
    for (const target of targets) {
      if (!CALL_TARGET_KINDS.includes(target))
        problems.push(`supportedTargets: unknown target ${String(target)}`);
    }
  }
  if (!Array.isArray(definition.capabilities)) {
    problems.push('capabilities must be an array');
  } else {
    for (const capability of definition.capabilities) {
      if (!PROVIDER_CAPABILITIES.includes(capability)) {
        problems.push(`capabilities: unknown capability ${String(capability)}`);
      }
    }
  }
  problems.push(...settingsSchemaProblems(definition.settingsSchema));
  if (typeof definition.isConfigured !== 'function') problems.push('isConfigured must be a function');
  if (typeof definition.joinInfo !== 'function') problems.push('joinInfo must be a function');
  if (definition.prepare !== undefined && typeof definition.prepare !== 'function') {
    problems.push('prepare must be a function when present');
  }
  if (definition.linkOut !== undefined && !LINK_OUT_MODES.includes(definition.linkOut)) {
    problems.push(`linkOut must be one of ${LINK_OUT_MODES.join(', ')} when present`);
  }
  if (definition.check !== undefined && typeof definition.check !== 'function') {
    problems.push('check must be a function when present');
  }
  if (
    definition.unavailableCapabilities !== undefined &&
    typeof definition.unavailableCapabilities !== 'function'
  ) {
    problems.push('unavailableCapabilities must be a function when present');
  }
  if (definition.healthGatesAvailability !== undefined) {
    if (typeof definition.healthGatesAvailability !== 'boolean') {
      problems.push('healthGatesAvailability must be a boolean when present');
    } else if (definition.healthGatesAvailability && typeof definition.check !== 'function') {
      problems.push('healthGatesAvailability needs a check function');
    }
  }
  const path = definition.clientModule?.path;
  if (typeof path !== 'string' || !isAbsolute(path)) {
    problems.push('clientModule.path must be an absolute file path');
  } else if (!existsSync(path)) {
    problems.push(`clientModule.path ${path} does not exist`);
  }
  return problems;
}
