import { Injectable, signal } from '@angular/core';
import {
  API,
  requestTimeoutMessage,
  requestTimeoutMs,
  SOCKET_TIMING,
  type CallHistoryQuery,
  type CallHistoryResponse,
  type CallTarget,
  type ChatMessage,
  type MessagesQuery,
  type ProviderDescriptor,
  type SessionInfo,
  type SocketEventName,
  type SocketEvents,
  type SocketReply,
  type SocketRequestName,
  type SocketRequests,
  type UserPreferences,
  type UserPreferencesUpdate,
  type UserImAccount,
  type UserSummary,
} from '@parley/protocol';
import { Observable, Subject, filter, map } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import { ClientHalfLoader } from '../lib/host/client-connector-loader';
import type { ClientConnector } from '../lib/host/connector-types';
import { reconnectAfterDrain } from './drain-reconnect';
import { ParleyWidgetHost, type UsableProvider } from '../lib/host/widget-host';

/** Where the Parley server is: the origin the element script was loaded from (overridable). */
export const PARLEY_SERVER = new URL(import.meta.url).origin;

/**
 * The widget host of the custom-element bundle, for portals that are not Angular: the Parley
 * session cookie (same site as the server), REST with `fetch`, one socket.io connection (every
 * push forwarded), and the client halves loaded by the widget's `ClientHalfLoader` (`import()`,
 * time-limited `init` and `canCall`; a failing provider shows no button).
 */
@Injectable()
export class StandaloneHost extends ParleyWidgetHost {
  private readonly server = PARLEY_SERVER;
  private readonly meSignal = signal<UserSummary | null>(null);
  private readonly usersSignal = signal<ReadonlyMap<string, UserSummary>>(new Map());
  private readonly providersSignal = signal<readonly ProviderDescriptor[]>([]);
  private readonly incoming = new Subject<{ name: string; data: unknown }>();
  private readonly connected = new Subject<void>();
  private readonly disconnected = new Subject<void>();
  private readonly loader = new ClientHalfLoader({
    serverUrl: this.server,
    context: (provider) => {
      const me = this.meSignal();
      if (!me) return null;
      return {
        provider,
        user: me,
        serverUrl: this.server,
        iceConfig: () => this.get(API.iceConfig),
        emit: () => undefined,
      };
    },
  });
  private socket: Socket | null = null;

  readonly me = this.meSignal.asReadonly();
  readonly users = this.usersSignal.asReadonly();
  readonly providers = this.providersSignal.asReadonly();
  readonly connected$ = this.connected.asObservable();
  override readonly disconnected$ = this.disconnected.asObservable();

  constructor() {
    super();
    void this.start();
  }

  private async start(): Promise<void> {
    let session: SessionInfo;
    try {
      session = await this.get<SessionInfo>(API.session);
    } catch {
      console.warn('[parley] widget: not signed in to Parley; the call widget stays hidden.');
      return;
    }
    this.meSignal.set(session.user);
    const socket = io(this.server, {
      path: '/socket.io',
      withCredentials: true,
      reconnectionDelay: SOCKET_TIMING.reconnectionDelayMs,
      reconnectionDelayMax: SOCKET_TIMING.reconnectionDelayMaxMs,
    });
    this.socket = socket;
    socket.onAny((name: string, data: unknown) => this.incoming.next({ name, data }));
    socket.on('disconnect', () => this.disconnected.next());
    reconnectAfterDrain(socket);
    socket.on('connect', () => {
      this.connected.next();
      void this.refresh();
    });
    this.rawEvents('presence.changed').subscribe((user) => this.upsert(user as UserSummary));
    this.rawEvents('providers.changed').subscribe((event) =>
      this.providersSignal.set((event as { providers: ProviderDescriptor[] }).providers),
    );
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    const [users, providers] = await Promise.all([
      this.get<UserSummary[]>(API.users).catch(() => []),
      this.get<ProviderDescriptor[]>(API.providers).catch(() => []),
    ]);
    this.usersSignal.set(new Map(users.map((u) => [u.id, u])));
    this.providersSignal.set([...providers].sort((a, b) => a.order - b.order));
  }

  private upsert(user: UserSummary): void {
    const next = new Map(this.usersSignal());
    next.set(user.id, user);
    this.usersSignal.set(next);
  }

  loadUser(id: string): Promise<UserSummary> {
    const known = this.usersSignal().get(id);
    return known ? Promise.resolve(known) : this.get<UserSummary>(API.user(id));
  }

  usableProviders(target: CallTarget): Promise<UsableProvider[]> {
    return this.loader.usable(this.providersSignal(), target);
  }

  connector(providerType: string): Promise<ClientConnector | null> {
    const provider = this.providersSignal().find((p) => p.type === providerType);
    return provider ? this.loader.connector(provider) : Promise.resolve(null);
  }

  request<K extends SocketRequestName>(
    name: K,
    payload: SocketRequests[K]['request'],
  ): Promise<SocketRequests[K]['response']> {
    return this.rawRequest(name, payload) as Promise<SocketRequests[K]['response']>;
  }

  rawRequest(name: string, payload: unknown): Promise<unknown> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('Not connected to Parley.'));
    return new Promise((resolve, reject) => {
      const waitMs = requestTimeoutMs(name);
      const timer = setTimeout(() => reject(new Error(requestTimeoutMessage(name, waitMs))), waitMs);
      socket.emit(name, payload, (reply: SocketReply<unknown>) => {
        clearTimeout(timer);
        if (reply?.ok) resolve(reply.data);
        else reject(new Error(reply?.ok === false ? reply.error.message : `Malformed answer to ${name}.`));
      });
    });
  }

  events<K extends SocketEventName>(name: K): Observable<SocketEvents[K]> {
    return this.rawEvents(name) as Observable<SocketEvents[K]>;
  }

  rawEvents(name: string): Observable<unknown> {
    return this.incoming.pipe(
      filter((event) => event.name === name),
      map((event) => event.data),
    );
  }

  preferences(): Promise<UserPreferences> {
    return this.get(API.myPreferences);
  }

  updatePreferences(patch: UserPreferencesUpdate): Promise<UserPreferences> {
    return this.send(API.myPreferences, 'PUT', patch);
  }

  override serverUrl(path: string): string {
    return new URL(path, this.server).href;
  }

  override roomMessages(roomId: string, query: MessagesQuery): Promise<ChatMessage[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    return this.get(`${API.roomMessages(roomId)}?${params}`);
  }

  override imAccounts(userId: string): Promise<UserImAccount[]> {
    return this.get(API.userImAccounts(userId));
  }

  history(query: CallHistoryQuery): Promise<CallHistoryResponse> {
    const params = new URLSearchParams();
    if (query.userId) params.set('userId', query.userId);
    if (query.limit) params.set('limit', String(query.limit));
    return this.get(`${API.callHistory}?${params}`);
  }

  private get<T>(path: string): Promise<T> {
    return this.send<T>(path, 'GET');
  }

  private async send<T>(path: string, method: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, this.server), {
      method,
      credentials: 'include',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      const error = (await res.json().catch(() => null)) as { message?: string | string[] } | null;
      const message = Array.isArray(error?.message) ? error.message.join(', ') : error?.message;
      throw new Error(message ?? `${res.status} ${res.statusText}`);
    }
    return (await res.json()) as T;
  }
}
