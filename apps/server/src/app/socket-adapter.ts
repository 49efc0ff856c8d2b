import { IoAdapter } from '@nestjs/platform-socket.io';
import { SOCKET_TIMING } from '@parley/protocol';
import type { Server, ServerOptions } from 'socket.io';

/**
 * socket.io with Parley's ping timing ({@link SOCKET_TIMING}): a connection whose network died is
 * closed within 15 s (instead of socket.io's 45 s), so call participants see "reconnecting" and
 * the grace period starts while the user can still come back.
 */
export class ParleySocketAdapter extends IoAdapter {
  override createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, {
      ...options,
      pingInterval: SOCKET_TIMING.pingIntervalMs,
      pingTimeout: SOCKET_TIMING.pingTimeoutMs,
    }) as Server;
  }
}
