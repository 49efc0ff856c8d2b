import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ParleySocketData } from '@parley/connector-sdk';
import { GUEST_COOKIE } from '@parley/protocol';
import { readCookie, SocketAuthentication, type SocketMiddleware } from '@parley/server-directory';
import { guardGuestSocket } from './guest-access';
import { GuestLinkRefused, GuestLinks } from './guest-links.service';

/** What a guest's socket carries besides its (synthetic) `userId`. */
export interface GuestSocketData extends ParleySocketData {
  guest?: { callId: string; roomId: string; linkId: string; displayName: string };
}

/**
 * Lets guests onto the shared socket: a handshake with `auth: { guest: true }` is authenticated
 * by the guest cookie (signed, not expired, its link not revoked, its call live) instead of a
 * session; the socket then carries the guest's id as its `userId` (so the call gateways authorize
 * it like anyone else) and the guest guard ({@link guardGuestSocket}) on every request.
 */
@Injectable()
export class GuestSocketAuth implements OnModuleInit {
  private readonly logger = new Logger(GuestSocketAuth.name);

  constructor(
    private readonly sockets: SocketAuthentication,
    private readonly links: GuestLinks,
  ) {}

  onModuleInit(): void {
    this.sockets.useGuestAuthentication(this.middleware);
  }

  readonly middleware: SocketMiddleware = (socket, next) => {
    this.links
      .session(readCookie(socket.handshake.headers.cookie, GUEST_COOKIE))
      .then(({ claims, live }) => {
        const data = socket.data as GuestSocketData;
        data.userId = claims.guestId;
        data.guest = {
          callId: claims.callId,
          roomId: claims.roomId,
          linkId: claims.linkId,
          displayName: claims.displayName,
        };
        guardGuestSocket(socket, live.machine.info.providerType);
        next();
      })
      .catch((error: unknown) => {
        if (!(error instanceof GuestLinkRefused)) this.logger.error(`Guest socket refused: ${String(error)}`);
        next(new Error('unauthorized'));
      });
  };
}
