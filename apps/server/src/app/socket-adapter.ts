import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { SOCKET_TIMING } from '@parley/protocol';
import { SocketAuthentication } from '@parley/server-directory';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Parley's one socket.io server:
 * - authenticated: `SocketAuthentication` is the namespace's first middleware, so every gateway's
 *   connections and messages come from a signed-in user (`socket.data.userId`);
 * - with Parley's ping timing ({@link SOCKET_TIMING}): a connection whose network died is closed
 *   within 15 s (instead of socket.io's 45 s), so call participants see "reconnecting" and the
 *   grace period starts while the user can still come back.
 */
export class ParleySocketAdapter extends IoAdapter {
  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      pingInterval: SOCKET_TIMING.pingIntervalMs,
      pingTimeout: SOCKET_TIMING.pingTimeoutMs,
    }) as Server;
    server.use(this.app.get(SocketAuthentication).middleware);
    return server;
  }
}
