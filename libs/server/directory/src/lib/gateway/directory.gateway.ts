import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  Actor,
  ParleyGateway,
  type ParleySocketData,
  Payload,
  type SocketActor,
  userChannel,
} from '@parley/connector-sdk';
import type { ChatMessage, SocketEventName, SocketEvents, UserProfile, UserSummary } from '@parley/protocol';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import { SetPresenceDto, SocketSendMessageDto } from '../dto/directory.dto';
import { DirectoryEvents, type DirectoryEvent } from '../services/directory-events.service';
import { RoomService } from '../services/room.service';
import { UserService } from '../services/user.service';

interface DirectorySocketData extends ParleySocketData {
  /** Rooms to join, looked up during the handshake so joining on connection is synchronous. */
  roomIds?: string[];
  /** Whether the tab was counted as connected (so it is uncounted exactly once). */
  counted?: boolean;
}

type DirectorySocket = Socket<
  Record<string, never>,
  SocketEvents,
  Record<string, never>,
  DirectorySocketData
>;

export { userChannel };
export const roomChannel = (roomId: string) => `room:${roomId}`;

/**
 * Directory messages and pushes on the shared socket (`/socket.io`, authenticated by the app's
 * `SocketAuthentication` middleware): presence, chat, who am I. Each tab joins its user's channel
 * and its rooms' channels on connection.
 */
@ParleyGateway()
export class DirectoryGateway
  implements
    OnGatewayInit<Server>,
    OnGatewayConnection<DirectorySocket>,
    OnGatewayDisconnect<DirectorySocket>,
    OnModuleDestroy
{
  private readonly logger = new Logger(DirectoryGateway.name);
  private subscription?: Subscription;

  @WebSocketServer()
  server!: Server;

  constructor(
    private readonly users: UserService,
    private readonly rooms: RoomService,
    private readonly events: DirectoryEvents,
  ) {}

  afterInit(server: Server): void {
    // Runs after the authentication middleware (installed when the server was created).
    server.use((socket, next) => {
      const data = socket.data as DirectorySocketData;
      if (!data.userId) return next(new Error('unauthorized'));
      this.rooms
        .roomIdsOf(data.userId)
        .then((roomIds) => {
          data.roomIds = roomIds;
          next();
        })
        .catch((error: unknown) => {
          this.logger.error(`Socket room lookup failed: ${String(error)}`);
          next(new Error('unavailable'));
        });
    });
    this.subscription = this.events.events$.subscribe((event) => this.push(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  async handleConnection(socket: DirectorySocket): Promise<void> {
    const { userId, roomIds } = socket.data;
    if (!userId) {
      socket.disconnect(true);
      return;
    }
    // Synchronous with the connection: pushes reach the tab as soon as it is connected.
    void socket.join([userChannel(userId), ...(roomIds ?? []).map(roomChannel)]);
    socket.data.counted = true;
    try {
      await this.users.tabConnected(userId);
    } catch (error) {
      this.logger.error(`Socket connection setup failed: ${String(error)}`);
    }
  }

  async handleDisconnect(socket: DirectorySocket): Promise<void> {
    const userId = socket.data.userId;
    if (!userId || !socket.data.counted) {
      return;
    }
    socket.data.counted = false;
    try {
      await this.users.tabDisconnected(userId);
    } catch (error) {
      this.logger.error(`Socket disconnection failed: ${String(error)}`);
    }
  }

  @SubscribeMessage('session.whoami')
  whoami(@Actor() actor: SocketActor): Promise<UserProfile> {
    return this.users.profile(actor.userId);
  }

  @SubscribeMessage('presence.set')
  setPresence(@Actor() actor: SocketActor, @Payload() { presence }: SetPresenceDto): Promise<UserSummary> {
    return this.users.setPresence(actor.userId, presence);
  }

  @SubscribeMessage('room.send')
  async send(
    @Actor() actor: SocketActor,
    @Payload() { roomId, body, threadId }: SocketSendMessageDto,
  ): Promise<ChatMessage> {
    const sender = await this.users.findEntity(actor.userId); // not_found once the account is gone
    return this.rooms.send(roomId, sender.id, body, threadId);
  }

  private emit<E extends SocketEventName>(channel: string | null, event: E, data: SocketEvents[E]): void {
    const target = channel ? this.server.to(channel) : this.server;
    target.emit(event, data);
  }

  private push(event: DirectoryEvent): void {
    if (!this.server) {
      return;
    }
    switch (event.type) {
      case 'room.message':
        this.emit(roomChannel(event.message.roomId), 'room.message', event.message);
        break;
      case 'room.message.updated':
        this.emit(roomChannel(event.message.roomId), 'room.message.updated', event.message);
        break;
      case 'room.ephemeral':
        this.emit(userChannel(event.userId), 'room.ephemeral', event.message);
        break;
      case 'room.created':
        this.server.in(event.memberIds.map(userChannel)).socketsJoin(roomChannel(event.roomId));
        break;
      case 'presence.changed':
        if (event.thisNode) this.server.local.emit('presence.changed', event.user);
        else this.emit(null, 'presence.changed', event.user);
        break;
      case 'post.created':
        this.emit(null, 'post.created', event.post);
        break;
    }
  }
}
