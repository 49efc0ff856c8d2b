import type { Signal } from '@angular/core';
import type {
  CallHistoryQuery,
  CallHistoryResponse,
  CallTarget,
  ChatMessage,
  MessagesQuery,
  ProviderDescriptor,
  SocketEventName,
  SocketEvents,
  SocketRequestName,
  SocketRequests,
  UserPreferences,
  UserImAccount,
  UserPreferencesUpdate,
  UserSummary,
} from '@parley/protocol';
import { EMPTY, type Observable } from 'rxjs';
import type { ClientConnector } from './connector-types';

/** A provider whose client half is ready and accepted the target. */
export interface UsableProvider {
  provider: ProviderDescriptor;
  connector: ClientConnector;
}

/**
 * Everything the widget needs from the page that embeds it. The Parley portal implements it over
 * its own stores and its one socket (`apps/portal/src/app/core/widget-host.ts`); the custom-element
 * bundle brings a stand-alone implementation (`src/elements/standalone-host.ts`).
 */
export abstract class ParleyWidgetHost {
  /** The signed-in user (null while signed out: the widget renders nothing). */
  abstract readonly me: Signal<UserSummary | null>;
  /** Users known to the page, with live presence. */
  abstract readonly users: Signal<ReadonlyMap<string, UserSummary>>;
  /** The providers the user may call with, first = default. */
  abstract readonly providers: Signal<readonly ProviderDescriptor[]>;
  /** Fires on every (re)connection of the socket. */
  abstract readonly connected$: Observable<void>;
  /** Fires when the socket drops (a call shows "Reconnecting…" until `connected$`). */
  readonly disconnected$: Observable<void> = EMPTY;

  /** A user by id (from the directory); rejects when there is no such user. */
  abstract loadUser(id: string): Promise<UserSummary>;
  /** Providers (in order) whose client half is ready and can call `target`. */
  abstract usableProviders(target: CallTarget): Promise<UsableProvider[]>;
  /** The ready client half of one provider, or null. */
  abstract connector(providerType: string): Promise<ClientConnector | null>;
  abstract request<K extends SocketRequestName>(
    name: K,
    payload: SocketRequests[K]['request'],
  ): Promise<SocketRequests[K]['response']>;
  /** A raw request by name, for a client half's own namespace (`webrtc.*`). */
  abstract rawRequest(name: string, payload: unknown): Promise<unknown>;
  abstract events<K extends SocketEventName>(name: K): Observable<SocketEvents[K]>;
  /** Pushes of any name, for a client half's own namespace. */
  abstract rawEvents(name: string): Observable<unknown>;
  abstract preferences(): Promise<UserPreferences>;
  abstract updatePreferences(patch: UserPreferencesUpdate): Promise<UserPreferences>;
  abstract history(query: CallHistoryQuery): Promise<CallHistoryResponse>;
  /**
   * `GET /api/rooms/:id/messages` (newest first): a call's chat thread with `thread`. Pages that
   * cannot load messages leave the default: the call chat then shows what arrives live only.
   */
  roomMessages(roomId: string, query: MessagesQuery): Promise<ChatMessage[]> {
    void roomId;
    void query;
    return Promise.reject(new Error('Loading messages is not supported by this page'));
  }
  /** An absolute URL for a server path (e.g. an attachment's `url`); pages on the server's origin keep the path. */
  serverUrl(path: string): string {
    return path;
  }
  /**
   * `GET /api/users/:id/im-accounts`: a callee's IM accounts, so the call button can disable the
   * providers that need one they lack. Pages that cannot load them leave the default (nothing is
   * disabled; the server still refuses such a call with the same message).
   */
  imAccounts(userId: string): Promise<UserImAccount[]> {
    void userId;
    return Promise.reject(new Error('Loading IM accounts is not supported by this page'));
  }
  /** The title of a room the user belongs to (group call windows and banners), null when unknown. */
  roomTitle(roomId: string): string | null {
    void roomId;
    return null;
  }
}

// The client-half loader both hosts use (exported with the host contract it serves).
export * from './client-connector-loader';
