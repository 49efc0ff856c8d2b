import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type {
  ChatMessage,
  SocketEventName,
  SocketEvents,
  SocketReply,
  UserProfile,
  UserSummary,
} from '@parley/protocol';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import { sessionTokenOf } from '../auth/session.guard';
import { SetPresenceDto, SocketSendMessageDto } from '../dto/directory.dto';
import type { UserEntity } from '../entities';
import { AuthService } from '../services/auth.service';
import { DirectoryEvents, type DirectoryEvent } from '../services/directory-events.service';
import { RoomService } from '../services/room.service';
import { UserService } from '../services/user.service';
import { reply, validatePayload } from './socket-validation';

interface SocketData {
  userId: string;
  /** Rooms to join, looked up during the handshake so joining on connection is synchronous. */
  roomIds: string[];
  /** Whether the tab was counted as connected (so it is uncounted exactly once). */
  counted?: boolean;
}

type ParleySocket = Socket<Record<string, never>, SocketEvents, Record<string, never>, SocketData>;

export const userChannel = (userId: string) => `user:${userId}`;
export const roomChannel = (roomId: string) => `room:${roomId}`;

/**
 * socket.io at `/socket.io`, on the HTTP server. The handshake must carry the session (cookie or
 * `auth.token`); every request gets a `SocketReply`, and malformed requests never disconnect.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class DirectoryGateway
  implements
    OnGatewayInit<Server>,
    OnGatewayConnection<ParleySocket>,
    OnGatewayDisconnect<ParleySocket>,
    OnModuleDestroy
{
  private readonly logger = new Logger(DirectoryGateway.name);
  private subscription?: Subscription;

  @WebSocketServer()
  server!: Server;

  constructor(
    private readonly auth: AuthService,
    private readonly users: UserService,
    private readonly rooms: RoomService,
    private readonly events: DirectoryEvents,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      const token =
        typeof auth?.token === 'string' && auth.token ? auth.token : sessionTokenOf(socket.handshake.headers);
      this.auth
        .authenticate(token)
        .then((user) => {
          if (!user) {
            next(new Error('unauthorized'));
            return;
          }
          return this.rooms.roomIdsOf(user.id).then((roomIds) => {
            Object.assign(socket.data as SocketData, { userId: user.id, roomIds });
            next();
          });
        })
        .catch((error: unknown) => {
          this.logger.error(`Socket authentication failed: ${String(error)}`);
          next(new Error('unauthorized'));
        });
    });
    this.subscription = this.events.events$.subscribe((event) => this.push(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  async handleConnection(socket: ParleySocket): Promise<void> {
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

  async handleDisconnect(socket: ParleySocket): Promise<void> {
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
  whoami(@ConnectedSocket() socket: ParleySocket): Promise<SocketReply<UserProfile>> {
    return reply(async () => this.users.profile(await this.currentUserId(socket)), this.logInternal);
  }

  @SubscribeMessage('presence.set')
  setPresence(
    @ConnectedSocket() socket: ParleySocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<UserSummary>> {
    return reply(async () => {
      const { presence } = await validatePayload(SetPresenceDto, payload);
      return this.users.setPresence(await this.currentUserId(socket), presence);
    }, this.logInternal);
  }

  @SubscribeMessage('room.send')
  send(
    @ConnectedSocket() socket: ParleySocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<ChatMessage>> {
    return reply(async () => {
      const { roomId, body, threadId } = await validatePayload(SocketSendMessageDto, payload);
      return this.rooms.send(roomId, await this.currentUserId(socket), body, threadId);
    }, this.logInternal);
  }

  private readonly logInternal = (error: unknown) =>
    this.logger.error(
      `Socket request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );

  private async currentUserId(socket: ParleySocket): Promise<string> {
    const user: UserEntity = await this.users.findEntity(socket.data.userId);
    return user.id;
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
      case 'room.ephemeral':
        this.emit(userChannel(event.userId), 'room.ephemeral', event.message);
        break;
      case 'room.created':
        this.server.in(event.memberIds.map(userChannel)).socketsJoin(roomChannel(event.roomId));
        break;
      case 'presence.changed':
        this.emit(null, 'presence.changed', event.user);
        break;
      case 'post.created':
        this.emit(null, 'post.created', event.post);
        break;
    }
  }
}
