import { DOCUMENT, Injectable, inject, signal } from '@angular/core';
import type {
  CallHistoryResponse,
  CallTarget,
  GuestAdmittedEvent,
  GuestIdentity,
  ProviderDescriptor,
  SocketRequestName,
  SocketRequests,
  UserPreferences,
  UserPreferencesUpdate,
  UserSummary,
} from '@parley/protocol';
import {
  ClientHalfLoader,
  DEFAULT_CLIENT_CONNECTOR_TIMEOUTS,
  importClientModule,
  type ClientConnector,
  type UsableProvider,
} from '@parley/widget';
import { SocketWidgetHost } from '../../core/socket-widget-host';

/**
 * The call widget for a guest (docs/guests.md): no session, no directory. The guest's own socket
 * (a guest handshake), the people and provider of the one call they were admitted to, the call's
 * client half from the guest route, preferences kept in memory. Joining "the room's call" means
 * joining that call (`call.join`): a guest may not start or pick a room's call.
 */
@Injectable()
export class GuestWidgetHost extends SocketWidgetHost {
  private readonly origin = inject(DOCUMENT).location.origin;
  private readonly meSignal = signal<UserSummary | null>(null);
  private readonly usersSignal = signal<ReadonlyMap<string, UserSummary>>(new Map());
  private readonly providersSignal = signal<readonly ProviderDescriptor[]>([]);
  private callId: string | null = null;
  private prefs: UserPreferences = { lastProvider: {}, micEnabled: true, cameraEnabled: true };
  private readonly loader = new ClientHalfLoader({
    serverUrl: this.origin,
    importModule: importClientModule,
    timeouts: DEFAULT_CLIENT_CONNECTOR_TIMEOUTS,
    context: (provider) => {
      const user = this.meSignal();
      if (!user) return null;
      return {
        provider,
        user,
        serverUrl: this.origin,
        iceConfig: () => this.realtime.request('ice.config', {}),
        emit: () => undefined,
      };
    },
  });

  readonly me = this.meSignal.asReadonly();
  readonly users = this.usersSignal.asReadonly();
  readonly providers = this.providersSignal.asReadonly();

  /** The guest signed in by link: their synthetic identity. */
  setGuest(guest: GuestIdentity): void {
    this.meSignal.set({
      id: guest.id,
      username: guest.id,
      displayName: guest.displayName,
      avatarUrl: '',
      presence: 'available',
    });
  }

  /** Admitted: the call to join, whose people and provider the widget shows and loads. */
  admitted(event: GuestAdmittedEvent): void {
    this.callId = event.call.id;
    this.usersSignal.set(new Map(event.people.map((p) => [p.id, p])));
    this.providersSignal.set([event.provider]);
  }

  loadUser(id: string): Promise<UserSummary> {
    const user = this.usersSignal().get(id);
    return user ? Promise.resolve(user) : Promise.reject(new Error('Unknown participant'));
  }

  usableProviders(target: CallTarget): Promise<UsableProvider[]> {
    return this.loader.usable(this.providersSignal(), target);
  }

  connector(providerType: string): Promise<ClientConnector | null> {
    const provider = this.providersSignal().find((p) => p.type === providerType);
    return provider ? this.loader.connector(provider) : Promise.resolve(null);
  }

  override request<K extends SocketRequestName>(
    name: K,
    payload: SocketRequests[K]['request'],
  ): Promise<SocketRequests[K]['response']> {
    if (name === 'call.room.join') {
      if (!this.callId) return Promise.reject(new Error('Wait until the host lets you in.'));
      return this.realtime.request('call.join', { callId: this.callId }) as Promise<
        SocketRequests[K]['response']
      >;
    }
    return super.request(name, payload);
  }

  override roomTitle(): string | null {
    return null;
  }

  preferences(): Promise<UserPreferences> {
    return Promise.resolve(this.prefs);
  }

  updatePreferences(patch: UserPreferencesUpdate): Promise<UserPreferences> {
    this.prefs = {
      ...this.prefs,
      ...(patch.micEnabled === undefined ? {} : { micEnabled: patch.micEnabled }),
      ...(patch.cameraEnabled === undefined ? {} : { cameraEnabled: patch.cameraEnabled }),
    };
    return Promise.resolve(this.prefs);
  }

  history(): Promise<CallHistoryResponse> {
    return Promise.resolve({ entries: [] });
  }
}
