import { TestBed } from '@angular/core/testing';
import type { ChatMessage, UserSummary } from '@parley/protocol';
import { RealtimeRequestError, RealtimeService, SOCKET_FACTORY, type SocketLike } from './realtime.service';

type Listener = (...args: unknown[]) => void;

/** The connection's own events, which socket.io does not pass to `onAny`. */
const RESERVED = new Set(['connect', 'connect_error', 'disconnect']);

/** A socket that records emits and lets the test play the server. */
class FakeSocket implements SocketLike {
  connected = false;
  active = false;
  readonly listeners = new Map<string, Listener[]>();
  readonly anyListeners: Listener[] = [];
  readonly emitted: { event: string; payload: unknown; ack: Listener }[] = [];
  connectCalls = 0;
  disconnectCalls = 0;

  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as Listener]);
    return this;
  }

  onAny(listener: (event: string, ...args: unknown[]) => void): this {
    this.anyListeners.push(listener as Listener);
    return this;
  }

  emit(event: string, payload: unknown, ack: Listener): this {
    this.emitted.push({ event, payload, ack });
    return this;
  }

  connect(): this {
    this.connectCalls++;
    this.active = true;
    return this;
  }

  disconnect(): this {
    this.disconnectCalls++;
    this.connected = false;
    this.active = false;
    return this;
  }

  /** Plays a server-side event (a push also reaches the `onAny` listeners, as with socket.io). */
  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
    if (!RESERVED.has(event)) for (const listener of this.anyListeners) listener(event, ...args);
  }
}

const alice: UserSummary = {
  id: 'u1',
  username: 'alice',
  displayName: 'Alice',
  avatarUrl: '/a.png',
  presence: 'away',
};

describe('RealtimeService', () => {
  let socket: FakeSocket;
  let service: RealtimeService;

  beforeEach(() => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: [{ provide: SOCKET_FACTORY, useValue: () => socket }] });
    service = TestBed.inject(RealtimeService);
  });

  it('connects once and reports the status', () => {
    expect(service.status()).toBe('disconnected');
    service.connect();
    service.connect();
    expect(socket.connectCalls).toBe(1);
    expect(service.status()).toBe('connecting');
    socket.connected = true;
    socket.fire('connect');
    expect(service.status()).toBe('connected');
  });

  it('resolves a request with the acknowledged data', async () => {
    service.connect();
    const reply = service.request('presence.set', { presence: 'away' });
    expect(socket.emitted[0]).toMatchObject({ event: 'presence.set', payload: { presence: 'away' } });
    socket.emitted[0].ack({ ok: true, data: alice });
    await expect(reply).resolves.toEqual(alice);
  });

  it('turns ok:false into an error carrying the server message and code', async () => {
    service.connect();
    const reply = service.request('room.send', { roomId: 'r1', body: 'hi' });
    socket.emitted[0].ack({ ok: false, error: { code: 'forbidden', message: 'Not a member of this room' } });
    const error = await reply.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RealtimeRequestError);
    expect(error).toMatchObject({ message: 'Not a member of this room', code: 'forbidden' });
  });

  it('rejects requests when not connected, and after the timeout', async () => {
    await expect(service.request('session.whoami', {})).rejects.toMatchObject({ code: 'disconnected' });
    jest.useFakeTimers();
    try {
      service.connect();
      service.requestTimeoutMs = (name) => (name === 'session.whoami' ? 1000 : 60_000);
      const reply = service.request('session.whoami', {});
      jest.advanceTimersByTime(1001);
      await expect(reply).rejects.toMatchObject({
        code: 'timeout',
        message: 'The server did not answer (session.whoami) within 1 s. Check the connection and try again.',
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('exposes typed push events per name', () => {
    service.connect();
    const messages: ChatMessage[] = [];
    const sub = service.events('room.message').subscribe((m) => messages.push(m));
    const message: ChatMessage = {
      id: 'm1',
      roomId: 'r1',
      authorId: 'u1',
      body: 'hello',
      createdAt: '2026-01-01T00:00:00Z',
    };
    socket.fire('presence.changed', alice);
    socket.fire('room.message', message);
    sub.unsubscribe();
    socket.fire('room.message', { ...message, id: 'm2' });
    expect(messages).toEqual([message]);
  });

  it("forwards every push, a plug-in's own names included, untyped", () => {
    service.connect();
    const seen: unknown[] = [];
    service.rawEvents('janus.custom').subscribe((data) => seen.push(data));
    const speakers: unknown[] = [];
    service.events('webrtc.speaking').subscribe((event) => speakers.push(event.speakers));
    socket.fire('janus.custom', { a: 1 });
    socket.fire('webrtc.speaking', { callId: 'c1', speakers: [{ userId: 'u2', volume: -20 }] });
    socket.fire('other.thing', 2);
    expect(seen).toEqual([{ a: 1 }]);
    expect(speakers).toEqual([[{ userId: 'u2', volume: -20 }]]);
    expect(socket.listeners.has('webrtc.speaking')).toBe(false);
  });

  it('reports an unauthorized handshake and disconnects on demand', () => {
    const unauthorized = jest.fn();
    service.unauthorized$.subscribe(unauthorized);
    service.connect();
    socket.fire('connect_error', new Error('unauthorized'));
    expect(service.status()).toBe('unauthorized');
    expect(unauthorized).toHaveBeenCalledTimes(1);
    service.disconnect();
    expect(socket.disconnectCalls).toBe(1);
    expect(service.status()).toBe('disconnected');
  });

  it('reconnects itself after the server dropped the connection', () => {
    jest.useFakeTimers();
    try {
      service.connect();
      socket.connected = true;
      socket.fire('connect');
      socket.connected = false;
      socket.active = false;
      socket.fire('disconnect', 'io server disconnect');
      expect(service.status()).toBe('connecting');
      jest.advanceTimersByTime(2500);
      expect(socket.connectCalls).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
