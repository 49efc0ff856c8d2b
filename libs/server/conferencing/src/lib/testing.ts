import type { ConnectorDefinition } from '@parley/connector-sdk';

/**
 * For the specs: a connector that is always configured, answers `joinInfo` with `{}` and, unless
 * `overrides` say otherwise, calls users only, with audio, and has no settings.
 */
export function fakeConnector(
  type: string,
  overrides: Partial<ConnectorDefinition> = {},
): ConnectorDefinition {
  return {
    type,
    title: type,
    version: '1.0.0',
    description: 'Fake connector',
    supportedTargets: ['user'],
    capabilities: ['audio'],
    settingsSchema: { type: 'object', properties: {} },
    isConfigured: () => true,
    joinInfo: () => ({}),
    clientModule: { path: '/nowhere/client.mjs' },
    ...overrides,
  };
}
