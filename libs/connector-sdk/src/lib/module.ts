import {
  type DynamicModule,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import { CONNECTOR_TYPE_PATTERN, type ConnectorDefinition } from './definition';

const TOKEN_PREFIX = 'parley:connector:';

/** The injection token under which a connector module provides its {@link ConnectorDefinition}. */
export function connectorToken(type: string): string {
  return `${TOKEN_PREFIX}${type}`;
}

/** Options of {@link ConnectorModule.registerAsync}, for a definition built from injected services. */
export interface ConnectorAsyncOptions {
  /** The connector's `type` (known up front so Parley can look the definition up). */
  type: string;
  imports?: ModuleMetadata['imports'];
  providers?: Provider[];
  inject?: InjectionToken[];
  useFactory(...deps: never[]): ConnectorDefinition | Promise<ConnectorDefinition>;
}

function checkType(type: string): void {
  if (!CONNECTOR_TYPE_PATTERN.test(type)) {
    throw new Error(
      `Connector type ${JSON.stringify(type)} is invalid: use lowercase letters, digits and dashes, starting with a letter (max 40)`,
    );
  }
}

/**
 * The NestJS module that ships a connector's server half. Export its result from the package's
 * entry point as `parleyConnector`:
 *
 * ```ts
 * export const parleyConnector = ConnectorModule.register(jitsiConnector);
 * ```
 *
 * Parley imports the module into its application (so the connector can have its own providers)
 * and reads the definition from {@link connectorToken}.
 */
@Module({})
export class ConnectorModule {
  /** A definition that needs nothing injected. */
  static register(
    definition: ConnectorDefinition,
    extra: Pick<ModuleMetadata, 'imports' | 'providers'> = {},
  ): DynamicModule {
    checkType(definition.type);
    return {
      module: ConnectorModule,
      global: true,
      imports: extra.imports ?? [],
      providers: [
        ...(extra.providers ?? []),
        { provide: connectorToken(definition.type), useValue: definition },
      ],
      exports: [connectorToken(definition.type)],
    };
  }

  /** A definition built by a factory from injected services (e.g. the built-in SFU). */
  static registerAsync(options: ConnectorAsyncOptions): DynamicModule {
    checkType(options.type);
    return {
      module: ConnectorModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        ...(options.providers ?? []),
        {
          provide: connectorToken(options.type),
          useFactory: options.useFactory as (...deps: unknown[]) => ConnectorDefinition,
          inject: options.inject ?? [],
        },
      ],
      exports: [connectorToken(options.type)],
    };
  }
}

/** A connector module as Parley sees it: the module to import, the type, and the definition when static. */
export interface ConnectorModuleInfo {
  module: DynamicModule;
  type: string;
  /** Present for `register`; for `registerAsync` the definition exists once Nest built the module. */
  definition: ConnectorDefinition | null;
}

function isDynamicModule(value: unknown): value is DynamicModule {
  return typeof value === 'object' && value !== null && typeof (value as DynamicModule).module === 'function';
}

/**
 * Reads a connector module: either the module itself or a package's exports holding it as
 * `parleyConnector` (or `default.parleyConnector`). Throws an Error saying what is wrong.
 */
export function readConnectorModule(exported: unknown): ConnectorModuleInfo {
  const holder = exported as { parleyConnector?: unknown; default?: { parleyConnector?: unknown } } | null;
  const candidate = isDynamicModule(exported)
    ? exported
    : (holder?.parleyConnector ?? holder?.default?.parleyConnector);
  if (!isDynamicModule(candidate)) {
    throw new Error(
      'does not export `parleyConnector` (a module made with ConnectorModule.register or registerAsync from @parley/connector-sdk)',
    );
  }
  const providers = (candidate.providers ?? []).filter(
    (provider): provider is Provider & { provide: string } =>
      typeof provider === 'object' &&
      provider !== null &&
      'provide' in provider &&
      typeof provider.provide === 'string' &&
      provider.provide.startsWith(TOKEN_PREFIX),
  );
  if (providers.length !== 1) {
    throw new Error(
      `parleyConnector must provide exactly one connector definition (found ${providers.length})`,
    );
  }
  const [provider] = providers;
  const definition = 'useValue' in provider ? (provider as { useValue: ConnectorDefinition }).useValue : null;
  return { module: candidate, type: provider.provide.slice(TOKEN_PREFIX.length), definition };
}
