import { DestroyRef, Injectable, InjectionToken, inject, signal } from '@angular/core';
import {
  requestTimeoutMessage,
  requestTimeoutMs,
  SOCKET_TIMING,
  type SocketError,
  type SocketEventName,
  type SocketEvents,
  type SocketReply,
  type SocketRequestName,
  type SocketRequests,
} from '@parley/protocol';
import { Observable, Subject, filter, map } from 'rxjs';
import { io } from 'socket.io-client';

/** The part of a socket.io client socket that {@link RealtimeService} uses (fakeable in tests). */
export interface SocketLike {
  readonly connected: boolean;
  readonly active: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  /** Every push, whatever its name (socket.io's `onAny`; not the connection's own events). */
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

/** Creates the socket; overridden in unit tests. The socket must not auto-connect. */
export const SOCKET_FACTORY = new InjectionToken<() => SocketLike>('SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => () =>
    io({
      path: '/socket.io',
      withCredentials: true,
      autoConnect: false,
      reconnectionDelay: SOCKET_TIMING.reconnectionDelayMs,
      reconnectionDelayMax: SOCKET_TIMING.reconnectionDelayMaxMs,
    }) as unknown as SocketLike,
});

export type RealtimeStatus = 'disconnected' | 'connecting' | 'connected' | 'unauthorized';

/** A request answered with `ok: false`, or not answered in time. */
export class RealtimeRequestError extends Error {
  constructor(
    message: string,
    readonly code: SocketError['code'] | 'timeout' | 'disconnected',
  ) {
    super(message);
    this.name = 'RealtimeRequestError';
  }
}

const RETRY_DELAY_MS = 2000;

/**
 * The one socket.io connection of this tab. Connected by the session after login and
 * disconnected on logout; socket.io reconnects by itself after network failures, and this
 * service retries when the server refused or dropped the connection for another reason.
 *
 * Every push is forwarded (`onAny`), like the widget's stand-alone host does: the protocol's
 * events typed by name ({@link events}), any other name (a plug-in's own namespace) untyped
 * ({@link rawEvents}).
 */
@Injectable({ providedIn: 'root' })
export class RealtimeService {
  private readonly createSocket = inject(SOCKET_FACTORY);
  private socket: SocketLike | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly incoming = new Subject<{ name: string; data: unknown }>();
  private readonly connectedSubject = new Subject<void>();
  private readonly disconnectedSubject = new Subject<void>();
  private readonly unauthorizedSubject = new Subject<void>();
  private readonly statusSignal = signal<RealtimeStatus>('disconnected');

  readonly status = this.statusSignal.asReadonly();
  /** Fires on every successful (re)connection: a good moment to refetch what may have been missed. */
  readonly connected$: Observable<void> = this.connectedSubject.asObservable();
  /** Fires when an established connection drops (socket.io is about to reconnect). */
  readonly disconnected$: Observable<void> = this.disconnectedSubject.asObservable();
  /** Fires when the server refuses the handshake (expired session). */
  readonly unauthorized$: Observable<void> = this.unauthorizedSubject.asObservable();
  /** The wait for an acknowledgement, per request name (overridden in unit tests). */
  requestTimeoutMs: (name: string) => number = requestTimeoutMs;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.disconnect());
  }

  connect(): void {
    if (this.socket) {
      if (!this.socket.connected && !this.socket.active) this.socket.connect();
      return;
    }
    const socket = this.createSocket();
    this.socket = socket;
    this.statusSignal.set('connecting');
    socket.on('connect', () => {
      this.statusSignal.set('connected');
      this.connectedSubject.next();
    });
    socket.on('disconnect', (reason: string) => {
      if (this.socket !== socket) return;
      this.statusSignal.set('connecting');
      this.disconnectedSubject.next();
      // The server closed the connection on purpose: socket.io does not retry by itself.
      if (reason === 'io server disconnect') this.scheduleRetry(socket);
    });
    socket.on('connect_error', (err: Error) => {
      if (this.socket !== socket) return;
      if (err.message === 'unauthorized') {
        this.statusSignal.set('unauthorized');
        this.unauthorizedSubject.next();
        return;
      }
      this.statusSignal.set('connecting');
      if (!socket.active) this.scheduleRetry(socket);
    });
    socket.onAny((name: string, data: unknown) => this.incoming.next({ name, data }));
    socket.connect();
  }

  disconnect(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.disconnect();
    this.statusSignal.set('disconnected');
  }

  /** Sends a request and resolves with the acknowledged data; `ok: false` rejects with its message. */
  request<K extends SocketRequestName>(
    name: K,
    payload: SocketRequests[K]['request'],
  ): Promise<SocketRequests[K]['response']> {
    const socket = this.socket;
    if (!socket) {
      return Promise.reject(new RealtimeRequestError('Not connected to the server.', 'disconnected'));
    }
    return new Promise((resolve, reject) => {
      const waitMs = this.requestTimeoutMs(name);
      const timer = setTimeout(
        () => reject(new RealtimeRequestError(requestTimeoutMessage(name, waitMs), 'timeout')),
        waitMs,
      );
      socket.emit(name, payload, (reply: SocketReply<SocketRequests[K]['response']>) => {
        clearTimeout(timer);
        if (reply && reply.ok) resolve(reply.data);
        else if (reply && reply.ok === false)
          reject(new RealtimeRequestError(reply.error.message, reply.error.code));
        else reject(new RealtimeRequestError(`Malformed answer to ${name}.`, 'internal'));
      });
    });
  }

  /** The pushes of one event name, for as long as the subscription lasts (across reconnections). */
  events<K extends SocketEventName>(name: K): Observable<SocketEvents[K]> {
    return this.rawEvents(name) as Observable<SocketEvents[K]>;
  }

  /** The pushes of any name, untyped: for names the protocol does not know (a plug-in's own). */
  rawEvents(name: string): Observable<unknown> {
    return this.incoming.pipe(
      filter((event) => event.name === name),
      map((event) => event.data),
    );
  }

  private scheduleRetry(socket: SocketLike): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.socket === socket && !socket.connected) socket.connect();
    }, RETRY_DELAY_MS);
  }
}
