import { Injectable, Logger } from '@nestjs/common';
import type { ParleySocketData } from '@parley/connector-sdk';
import type { Socket } from 'socket.io';
import { AuthService } from '../services/auth.service';
import { sessionTokenOf } from './session.guard';

/** A socket.io middleware: `next()` lets the connection in, `next(error)` refuses it. */
export type SocketMiddleware = (socket: Socket, next: (error?: Error) => void) => void;

/**
 * The one authentication of Parley's socket: the server app installs {@link middleware} on the
 * namespace before any gateway sees a connection. The handshake must carry the session (cookie,
 * `Authorization: Bearer` or `auth.token`), checked exactly as REST checks it; a socket without a
 * valid one never connects, and one that does carries `socket.data.userId`.
 */
@Injectable()
export class SocketAuthentication {
  private readonly logger = new Logger(SocketAuthentication.name);

  constructor(private readonly auth: AuthService) {}

  readonly middleware: SocketMiddleware = (socket, next) => {
    const handshakeAuth = socket.handshake.auth as { token?: unknown } | undefined;
    const token =
      typeof handshakeAuth?.token === 'string' && handshakeAuth.token
        ? handshakeAuth.token
        : sessionTokenOf(socket.handshake.headers);
    this.auth
      .authenticate(token)
      .then((user) => {
        if (!user) return next(new Error('unauthorized'));
        (socket.data as ParleySocketData).userId = user.id;
        next();
      })
      .catch((error: unknown) => {
        this.logger.error(`Socket authentication failed: ${String(error)}`);
        next(new Error('unauthorized'));
      });
  };
}
