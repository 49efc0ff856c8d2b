import { DOCUMENT, DestroyRef, Injectable, InjectionToken, inject } from '@angular/core';
import type { CallTarget, ProviderDescriptor } from '@parley/protocol';
import {
  ClientHalfLoader,
  DEFAULT_CLIENT_CONNECTOR_TIMEOUTS,
  importClientModule,
  type ClientConnectorTimeouts,
  type ClientModuleImporter,
  type UsableProvider,
} from '@parley/widget';
import { Subject, type Observable } from 'rxjs';
import { ApiClient } from './api-client';
import type { ClientConnector, ClientEvent } from './client-connector';
import { SessionService } from './session.service';

/** How client modules are imported (the browser's `import()`); replaced in unit tests. */
export const CLIENT_MODULE_IMPORTER = new InjectionToken<ClientModuleImporter>('CLIENT_MODULE_IMPORTER', {
  providedIn: 'root',
  factory: () => importClientModule,
});

/** Time limits of a client half's `init` and `canCall` (the widget's defaults: 15 s and 5 s). */
export const CLIENT_CONNECTOR_TIMEOUTS = new InjectionToken<ClientConnectorTimeouts>(
  'CLIENT_CONNECTOR_TIMEOUTS',
  { providedIn: 'root', factory: () => DEFAULT_CLIENT_CONNECTOR_TIMEOUTS },
);

/** An event a client half reported through its context's `emit`. */
export interface ProviderClientEvent {
  provider: string;
  event: ClientEvent;
}

/**
 * The widget's client-half loader (`ClientHalfLoader`, `@parley/widget`: import once per
 * `clientModuleUrl`, `init`, `canCall`, time limits, a failing provider left out) over the
 * portal's session: the context is the signed-in user, the page's origin, `GET /api/ice-config`,
 * and `emit` into {@link events$}; everything is forgotten at sign-out.
 */
@Injectable({ providedIn: 'root' })
export class ClientConnectorLoader {
  private readonly api = inject(ApiClient);
  private readonly session = inject(SessionService);
  private readonly origin = inject(DOCUMENT).location.origin;
  private readonly eventsSubject = new Subject<ProviderClientEvent>();
  private readonly loader = new ClientHalfLoader({
    serverUrl: this.origin,
    importModule: inject(CLIENT_MODULE_IMPORTER),
    timeouts: inject(CLIENT_CONNECTOR_TIMEOUTS),
    context: (provider) => {
      const user = this.session.user();
      if (!user) return null;
      return {
        provider,
        user: {
          id: user.id,
          username: user.username,
          displayName: user.displayName,
          avatarUrl: user.avatarUrl,
          presence: user.presence,
        },
        serverUrl: this.origin,
        iceConfig: () => this.api.iceConfig(),
        emit: (event) => this.eventsSubject.next({ provider: provider.type, event }),
      };
    },
  });

  /** Events of every client half (joined, left, ended, error, media state, speakers). */
  readonly events$: Observable<ProviderClientEvent> = this.eventsSubject.asObservable();

  constructor() {
    const sub = this.session.signedOut$.subscribe(() => this.reset());
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
  }

  /** The initialised client half of `provider`, or null when it failed or nobody is signed in. */
  connector(provider: ProviderDescriptor): Promise<ClientConnector | null> {
    return this.loader.connector(provider);
  }

  /** The providers (in order) whose client half is ready and whose `canCall(target)` is true. */
  usable(providers: readonly ProviderDescriptor[], target: CallTarget): Promise<UsableProvider[]> {
    return this.loader.usable(providers, target);
  }

  /** Forgets every loaded client half (the next lookup loads and initialises again). */
  reset(): void {
    this.loader.reset();
  }
}
