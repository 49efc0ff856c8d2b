import type { CallTarget, ProviderDescriptor } from '@parley/protocol';
import type { ClientConnector, ClientContext } from './connector-types';
import type { UsableProvider } from './widget-host';

/** Loads an ES module by URL at run time; replaced in unit tests (jest cannot `import()` a URL). */
export type ClientModuleImporter = (url: string) => Promise<unknown>;

/**
 * The browser's own `import()` of a URL known only at run time. `@angular/build` (esbuild) leaves
 * an `import()` whose argument is not a string literal untouched in the output, so the browser
 * fetches the module from the Parley server (session cookie) when it runs. The `@vite-ignore`
 * comment keeps the dev server (Vite) from warning about it.
 */
export function importClientModule(url: string): Promise<unknown> {
  return import(/* @vite-ignore */ url);
}

/**
 * Time limits for a client half: `init` (load + init) and each `canCall`. Sized for a loaded
 * machine (a client half is a large module that loads and compiles on first use): a provider
 * over them shows no button rather than blocking the others.
 */
export interface ClientConnectorTimeouts {
  initMs: number;
  canCallMs: number;
}

export const DEFAULT_CLIENT_CONNECTOR_TIMEOUTS: ClientConnectorTimeouts = {
  initMs: 15_000,
  canCallMs: 5_000,
};

export interface ClientHalfLoaderOptions {
  /** Origin of the Parley server: the providers' `clientModuleUrl`s are relative to it. */
  serverUrl: string;
  /** The context a provider's `init` gets; null while nobody is signed in (no client half then). */
  context(provider: ProviderDescriptor): ClientContext | null;
  /** Default: {@link importClientModule}. */
  importModule?: ClientModuleImporter;
  /** Default: {@link DEFAULT_CLIENT_CONNECTOR_TIMEOUTS}. */
  timeouts?: ClientConnectorTimeouts;
}

/**
 * Loads the client halves of call providers and decides which providers can call a target; used
 * by both hosts (the portal's, `apps/portal/src/app/core/client-connector-loader.ts`, and the
 * custom elements' stand-alone host). No framework: a plain class over `import()`.
 *
 * Each provider's module (`clientModuleUrl`) is imported once and its `init(context)` run once,
 * cached per URL: when the admins change a provider's settings the server changes the URL, so the
 * next lookup loads and initialises the new module. A provider whose module fails to load, whose
 * default export is not a client connector, whose `init` throws, rejects or takes longer than
 * {@link ClientConnectorTimeouts.initMs}, or whose `canCall` throws or times out, is left out with
 * a console warning; the other providers are never affected.
 */
export class ClientHalfLoader {
  private readonly ready = new Map<string, Promise<ClientConnector | null>>();
  private readonly importModule: ClientModuleImporter;
  private readonly timeouts: ClientConnectorTimeouts;

  constructor(private readonly options: ClientHalfLoaderOptions) {
    this.importModule = options.importModule ?? importClientModule;
    this.timeouts = options.timeouts ?? DEFAULT_CLIENT_CONNECTOR_TIMEOUTS;
  }

  /** The initialised client half of `provider`, or null when it failed (see the class comment). */
  connector(provider: ProviderDescriptor): Promise<ClientConnector | null> {
    const key = provider.clientModuleUrl;
    let pending = this.ready.get(key);
    if (!pending) {
      const context = this.options.context(provider);
      if (!context) return Promise.resolve(null);
      pending = this.loadAndInit(provider, context);
      this.ready.set(key, pending);
    }
    return pending;
  }

  /**
   * The providers (kept in the given order) that can call `target`: the target kind is one of
   * their `supportedTargets`, their client half is ready and its `canCall(target)` is true.
   */
  async usable(providers: readonly ProviderDescriptor[], target: CallTarget): Promise<UsableProvider[]> {
    const checked = await Promise.all(
      providers.map(async (provider): Promise<UsableProvider | null> => {
        if (!provider.supportedTargets.includes(target.kind)) return null;
        const connector = await this.connector(provider);
        if (!connector) return null;
        try {
          const accepted = await withTimeout(
            Promise.resolve().then(() => connector.canCall(target)),
            this.timeouts.canCallMs,
            `canCall did not answer within ${this.timeouts.canCallMs} ms`,
          );
          return accepted === true ? { provider, connector } : null;
        } catch (err) {
          warn(provider, 'canCall failed', err);
          return null;
        }
      }),
    );
    return checked.filter((entry): entry is UsableProvider => entry !== null);
  }

  /** Forgets every loaded client half (the next lookup loads and initialises again). */
  reset(): void {
    this.ready.clear();
  }

  private async loadAndInit(
    provider: ProviderDescriptor,
    context: ClientContext,
  ): Promise<ClientConnector | null> {
    try {
      return await withTimeout(
        (async () => {
          const module = await this.importModule(
            new URL(provider.clientModuleUrl, this.options.serverUrl).href,
          );
          const connector = clientConnectorOf(module);
          await connector.init(context);
          return connector;
        })(),
        this.timeouts.initMs,
        `not ready within ${this.timeouts.initMs} ms`,
      );
    } catch (err) {
      warn(provider, 'client half failed to load', err);
      return null;
    }
  }
}

/** The default export of a client module, checked to be a {@link ClientConnector}. */
export function clientConnectorOf(module: unknown): ClientConnector {
  const candidate =
    typeof module === 'object' && module !== null ? (module as { default?: unknown }).default : undefined;
  if (typeof candidate !== 'object' || candidate === null) {
    throw new Error('the module has no default export');
  }
  const missing = (['init', 'canCall', 'open'] as const).filter(
    (name) => typeof (candidate as Record<string, unknown>)[name] !== 'function',
  );
  if (missing.length)
    throw new Error(`the default export lacks ${missing.map((name) => `${name}()`).join(', ')}`);
  return candidate as ClientConnector;
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

function warn(provider: ProviderDescriptor, what: string, err: unknown): void {
  const reason = err instanceof Error ? err.message : String(err);
  console.warn(`[parley] provider ${provider.type}: ${what} (${reason}); no call button for it.`);
}
