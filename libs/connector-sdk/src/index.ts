/**
 * `@parley/connector-sdk`: the public contract of a Parley connector.
 *
 * - server half: a {@link ConnectorDefinition} wrapped in {@link ConnectorModule} and exported as
 *   `parleyConnector` from the package entry point;
 * - client half: an ES module whose default export is a {@link ClientConnector};
 * - settings: a JSON Schema ({@link SettingsSchema}), secrets marked `writeOnly`;
 * - the conformance kit: `@parley/connector-sdk/testing`.
 *
 * Step-by-step guide: `docs/connectors.md`.
 */
export type {
  CallTarget,
  CallTargetKind,
  FieldError,
  IceConfig,
  IceServerConfig,
  ImAccountField,
  LinkOutMode,
  ProviderCapability,
  ProviderDescriptor,
  SettingsProperty,
  SettingsSchema,
} from '@parley/protocol';
export * from './lib/client';
export * from './lib/definition';
export * from './lib/lifecycle';
export * from './lib/module';
export * from './lib/schema';
export * from './lib/validate-definition';
export * from './lib/version';
export * from './lib/socket';
