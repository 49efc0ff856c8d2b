import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ParleySocketData } from '@parley/connector-sdk';
import type { Subscription } from 'rxjs';
import type { Socket } from 'socket.io';
import { AuthService } from '../services/auth.service';
import { SessionRegistry } from '../services/session-registry.service';
import { presentedToken } from './session.guard';

/** A socket.io middleware: `next()` lets the connection in, `next(error)` refuses it. */
export type SocketMiddleware = (socket: Socket, next: (error?: Error) => void) => void;

/**
 * The one authentication of Parley's socket: the server app installs {@link middleware} on the
 * namespace before any gateway sees a connection. The handshake must carry the session (cookie,
 * `Authorization: Bearer` or `auth.token`), checked exactly as REST checks it (signature, expiry,
 * server-side session not revoked); a socket without a valid one never connects, and one that
 * does carries `socket.data.userId`. Socket messages are not checked again: when the session is
 * revoked (logout), this closes that session's open sockets.
 */
@Injectable()
export class SocketAuthentication implements OnModuleDestroy {
  private readonly logger = new Logger(SocketAuthentication.name);
  /** Open sockets by session id. */
  private readonly bySession = new Map<string, Set<Socket>>();
  private readonly revocations: Subscription;
  /** The way in for guests (the calls library's guest sessions), when a handshake asks with `auth.guest`. */
  private guests?: SocketMiddleware;

  constructor(
    private readonly auth: AuthService,
    registry: SessionRegistry,
  ) {
    this.revocations = registry.revoked$.subscribe((sessionId) => this.closeSession(sessionId));
  }

  onModuleDestroy(): void {
    this.revocations.unsubscribe();
  }

  /** Registers how guest handshakes (`auth: { guest: true }`) are authenticated (docs/guests.md). */
  useGuestAuthentication(middleware: SocketMiddleware): void {
    this.guests = middleware;
  }

  readonly middleware: SocketMiddleware = (socket, next) => {
    const handshakeAuth = socket.handshake.auth as { token?: unknown; guest?: unknown } | undefined;
    if (handshakeAuth?.guest === true) {
      return this.guests ? this.guests(socket, next) : next(new Error('unauthorized'));
    }
    const presented =
      typeof handshakeAuth?.token === 'string' && handshakeAuth.token
        ? { token: handshakeAuth.token, via: 'bearer' as const }
        : presentedToken(socket.handshake.headers);
    this.auth
      .authenticateSession(presented?.token, presented?.via)
      .then((signedIn) => {
        if (!signedIn) return next(new Error('unauthorized'));
        (socket.data as ParleySocketData).userId = signedIn.user.id;
        this.track(signedIn.sessionId, socket);
        next();
      })
      .catch((error: unknown) => {
        this.logger.error(`Socket authentication failed: ${String(error)}`);
        next(new Error('unauthorized'));
      });
  };

  private track(sessionId: string, socket: Socket): void {
    let sockets = this.bySession.get(sessionId);
    if (!sockets) {
      sockets = new Set();
      this.bySession.set(sessionId, sockets);
    }
    sockets.add(socket);
    socket.once('disconnect', () => {
      const open = this.bySession.get(sessionId);
      open?.delete(socket);
      if (open?.size === 0) this.bySession.delete(sessionId);
    });
  }

  private closeSession(sessionId: string): void {
    const sockets = this.bySession.get(sessionId);
    if (!sockets) return;
    this.bySession.delete(sessionId);
    for (const socket of sockets) socket.disconnect(true);
  }
}
