import { type OnModuleDestroy } from '@nestjs/common';
import {
  type OnGatewayDisconnect,
  type OnGatewayInit,
  ConnectedSocket,
  SubscribeMessage,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  Actor,
  ParleyGateway,
  Payload,
  SocketError,
  type SocketActor,
  userChannel,
} from '@parley/connector-sdk';
import { GUEST_COOKIE, type GuestKnockResponse } from '@parley/protocol';
import { readCookie } from '@parley/server-directory';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import { CallIdDto } from '../dto/calls.dto';
import { GuestLinkCreateDto, GuestLinkRevokeDto, LobbyGuestDto } from './guests.dto';
import { GuestLinks } from './guest-links.service';
import { GuestLobby } from './guest-lobby.service';
import type { GuestSocketData } from './guest-socket-auth';

/**
 * Guest links and the lobby on the shared socket: members make and revoke links, the host admits
 * or denies, guests knock (`guest.knock`). What guests may send at all: guest-access.ts.
 */
@ParleyGateway()
export class GuestsGateway implements OnGatewayInit<Server>, OnGatewayDisconnect<Socket>, OnModuleDestroy {
  private subscription?: Subscription;

  @WebSocketServer()
  server!: Server;

  constructor(
    private readonly links: GuestLinks,
    private readonly lobby: GuestLobby,
  ) {}

  afterInit(): void {
    // A guest who lost access: their sockets close (after the push telling them why).
    this.subscription = this.lobby.evictions$.subscribe((guestId) => {
      this.server?.in(userChannel(guestId)).disconnectSockets(true);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  async handleDisconnect(socket: Socket): Promise<void> {
    const data = socket.data as GuestSocketData;
    if (!data.guest || !data.userId || !this.server) return;
    const tabs = await this.server.in(userChannel(data.userId)).fetchSockets();
    if (tabs.every((tab) => tab.id === socket.id)) this.lobby.disconnected(data.userId, data.guest.callId);
  }

  @SubscribeMessage('call.guests.link')
  create(@Actor() actor: SocketActor, @Payload() { callId, expiresInSeconds }: GuestLinkCreateDto) {
    return this.links.create(actor, callId, expiresInSeconds);
  }

  @SubscribeMessage('call.guests.links')
  list(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
    return this.links.list(actor, callId);
  }

  @SubscribeMessage('call.guests.revoke')
  revoke(@Actor() actor: SocketActor, @Payload() { callId, linkId }: GuestLinkRevokeDto) {
    const { link, live } = this.links.revoke(actor, callId, linkId);
    this.lobby.linkRevoked(live, linkId);
    return link;
  }

  @SubscribeMessage('call.lobby.get')
  lobbyGet(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
    return this.lobby.get(actor, callId);
  }

  @SubscribeMessage('call.lobby.admit')
  admit(@Actor() actor: SocketActor, @Payload() { callId, guestId }: LobbyGuestDto) {
    return this.lobby.admit(actor, callId, guestId);
  }

  @SubscribeMessage('call.lobby.deny')
  deny(@Actor() actor: SocketActor, @Payload() { callId, guestId }: LobbyGuestDto) {
    return this.lobby.deny(actor, callId, guestId);
  }

  @SubscribeMessage('call.lobby.admitAll')
  admitAll(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
    return this.lobby.admitAll(actor, callId);
  }

  /** A guest waits in the lobby of their link's call (the link is checked again: revoked, ended). */
  @SubscribeMessage('guest.knock')
  async knock(@ConnectedSocket() socket: Socket): Promise<GuestKnockResponse> {
    if (!(socket.data as GuestSocketData).guest) throw new SocketError('forbidden', 'Only guests knock');
    const session = await this.links.session(readCookie(socket.handshake.headers.cookie, GUEST_COOKIE));
    return this.lobby.knock(session);
  }
}
