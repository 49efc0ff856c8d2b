import { DOCUMENT, DestroyRef, Injectable, InjectionToken, inject } from '@angular/core';
import type { CallTarget, ProviderDescriptor } from '@parley/protocol';
import { Subject, type Observable } from 'rxjs';
import { ApiClient } from './api-client';
import type { ClientConnector, ClientContext, ClientEvent } from './client-connector';
import { SessionService } from './session.service';

/** Loads an ES module by URL at run time; overridden in unit tests (jest cannot `import()` a URL). */
export type ClientModuleImporter = (url: string) => Promise<unknown>;

/**
 * The browser's own `import()` of a URL known only at run time. `@angular/build` (esbuild) leaves
 * an `import()` whose argument is not a string literal untouched in the output, so the browser
 * fetches the module from the Parley server (same origin, session cookie) when it runs. The
 * `@vite-ignore` comment keeps the dev server (Vite) from warning about it.
 */
export function importClientModule(url: string): Promise<unknown> {
  return import(/* @vite-ignore */ url);
}

export const CLIENT_MODULE_IMPORTER = new InjectionToken<ClientModuleImporter>('CLIENT_MODULE_IMPORTER', {
  providedIn: 'root',
  factory: () => importClientModule,
});

/**
 * Time limits for a client half: `init` (load + init) and each `canCall`. Sized for a loaded
 * machine (a client half is a large module that loads and compiles on first use): a provider
 * over them shows no button rather than blocking the others.
 */
export interface ClientConnectorTimeouts {
  initMs: number;
  canCallMs: number;
}

export const CLIENT_CONNECTOR_TIMEOUTS = new InjectionToken<ClientConnectorTimeouts>(
  'CLIENT_CONNECTOR_TIMEOUTS',
  { providedIn: 'root', factory: () => ({ initMs: 15_000, canCallMs: 5_000 }) },
);

/** A provider whose client half loaded, initialised and accepted the target. */
export interface UsableProvider {
  provider: ProviderDescriptor;
  connector: ClientConnector;
}

/** An event a client half reported through {@link ClientContext.emit}. */
export interface ProviderClientEvent {
  provider: string;
  event: ClientEvent;
}

/**
 * Loads the client halves of call providers and decides which providers can call a target.
 *
 * Each provider's module (`clientModuleUrl`) is imported once and its `init(context)` run once,
 * cached per URL: when the admins change a provider's settings the server changes the URL, so the
 * next lookup loads and initialises the new module. A provider whose module fails to load, whose
 * default export is not a client connector, whose `init` throws, rejects or takes longer than
 * {@link ClientConnectorTimeouts.initMs}, or whose `canCall` throws or times out, is left out with
 * a console warning; the other providers are never affected.
 */
@Injectable({ providedIn: 'root' })
export class ClientConnectorLoader {
  private readonly importModule = inject(CLIENT_MODULE_IMPORTER);
  private readonly timeouts = inject(CLIENT_CONNECTOR_TIMEOUTS);
  private readonly api = inject(ApiClient);
  private readonly session = inject(SessionService);
  private readonly document = inject(DOCUMENT);
  private readonly ready = new Map<string, Promise<ClientConnector | null>>();
  private readonly eventsSubject = new Subject<ProviderClientEvent>();

  /** Events of every client half (joined, left, ended, error, media state). */
  readonly events$: Observable<ProviderClientEvent> = this.eventsSubject.asObservable();

  constructor() {
    const sub = this.session.signedOut$.subscribe(() => this.reset());
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
  }

  /** The initialised client half of `provider`, or null when it failed (see the class comment). */
  connector(provider: ProviderDescriptor): Promise<ClientConnector | null> {
    const key = provider.clientModuleUrl;
    let pending = this.ready.get(key);
    if (!pending) {
      pending = this.loadAndInit(provider);
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

  private async loadAndInit(provider: ProviderDescriptor): Promise<ClientConnector | null> {
    const user = this.session.user();
    if (!user) return null;
    const origin = this.document.location.origin;
    const context: ClientContext = {
      provider,
      user: {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        avatarUrl: user.avatarUrl,
        presence: user.presence,
      },
      serverUrl: origin,
      iceConfig: () => this.api.iceConfig(),
      emit: (event) => this.eventsSubject.next({ provider: provider.type, event }),
    };
    try {
      return await withTimeout(
        (async () => {
          const module = await this.importModule(new URL(provider.clientModuleUrl, origin).href);
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
