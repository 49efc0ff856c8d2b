import { SOCKET_TIMING } from '@parley/protocol';
import { type DrainAwareSocket, drainReconnectDelayMs, reconnectAfterDrain } from './drain-reconnect';

type Listener = (...args: unknown[]) => void;

/** Plays the server's side of one socket.io client socket. */
class FakeSocket implements DrainAwareSocket {
  connected = true;
  connectCalls = 0;
  private readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as Listener]);
    return this;
  }

  connect(): this {
    this.connectCalls++;
    return this;
  }

  fire(event: string, ...args: unknown[]): void {
    if (event === 'disconnect') this.connected = false;
    if (event === 'connect') this.connected = true;
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

describe('reconnectAfterDrain', () => {
  let socket: FakeSocket;

  beforeEach(() => {
    jest.useFakeTimers();
    socket = new FakeSocket();
    reconnectAfterDrain(socket, () => 700);
  });

  afterEach(() => jest.useRealTimers());

  it('connects again after the delay when a draining server disconnects the socket', () => {
    socket.fire('server.draining', { graceSeconds: 30, reconnect: true });
    socket.fire('disconnect', 'io server disconnect');
    jest.advanceTimersByTime(699);
    expect(socket.connectCalls).toBe(0);
    jest.advanceTimersByTime(1);
    expect(socket.connectCalls).toBe(1);
  });

  it('leaves a server disconnect without the notice alone (a revoked session)', () => {
    socket.fire('disconnect', 'io server disconnect');
    jest.advanceTimersByTime(10_000);
    expect(socket.connectCalls).toBe(0);
  });

  it('leaves the retry to socket.io when the transport closed (it retries by itself)', () => {
    socket.fire('server.draining', { graceSeconds: 0, reconnect: true });
    socket.fire('disconnect', 'transport close');
    jest.advanceTimersByTime(10_000);
    expect(socket.connectCalls).toBe(0);
  });

  it('forgets the notice once connected again', () => {
    socket.fire('server.draining', { graceSeconds: 30, reconnect: true });
    socket.fire('disconnect', 'io server disconnect');
    jest.advanceTimersByTime(700);
    socket.fire('connect');
    socket.fire('disconnect', 'io server disconnect');
    jest.advanceTimersByTime(10_000);
    expect(socket.connectCalls).toBe(1);
  });

  it('waits between socket.io’s first and longest retry delays', () => {
    for (let i = 0; i < 20; i++) {
      const delay = drainReconnectDelayMs();
      expect(delay).toBeGreaterThanOrEqual(SOCKET_TIMING.reconnectionDelayMs);
      expect(delay).toBeLessThanOrEqual(SOCKET_TIMING.reconnectionDelayMaxMs);
    }
  });
});
