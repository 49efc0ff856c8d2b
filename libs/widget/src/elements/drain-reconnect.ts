import { SOCKET_TIMING } from '@parley/protocol';

/** The part of a socket.io client socket that {@link reconnectAfterDrain} uses. */
export interface DrainAwareSocket {
  readonly connected: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  connect(): unknown;
}

/**
 * A random wait between socket.io's first retry and its longest one, so that the tabs of a node
 * that shut down do not all come back in the same instant.
 */
export const drainReconnectDelayMs = (): number =>
  SOCKET_TIMING.reconnectionDelayMs +
  Math.random() * (SOCKET_TIMING.reconnectionDelayMaxMs - SOCKET_TIMING.reconnectionDelayMs);

/**
 * A server that shuts down says so (`server.draining`, `reconnect: true`) and then disconnects its
 * sockets, which socket.io reports as `io server disconnect` and never retries by itself (that is
 * also what a revoked session gets). After such a notice this connects again after
 * {@link drainReconnectDelayMs}: to another node, or to this one once it is back (socket.io then
 * keeps retrying on its own while the server is down). Without the notice nothing changes.
 */
export function reconnectAfterDrain(socket: DrainAwareSocket, delayMs = drainReconnectDelayMs): void {
  let drained = false;
  socket.on('server.draining', () => {
    drained = true;
  });
  socket.on('connect', () => {
    drained = false;
  });
  socket.on('disconnect', (reason: string) => {
    if (!drained || reason !== 'io server disconnect') return;
    drained = false;
    setTimeout(() => {
      if (!socket.connected) socket.connect();
    }, delayMs());
  });
}
