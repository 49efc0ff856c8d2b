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
import type { CallInfo, CallJoinResponse, RoomCallInfo, SocketEvents, SocketReply } from '@parley/protocol';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import { CallError } from '../call-machine';
import {
  CallHandDto,
  CallHostMuteDto,
  CallHostTargetDto,
  CallHangupDto,
  CallIdDto,
  CallMediaDto,
  CallReactionDto,
  CallRoomJoinDto,
  CallStartDto,
  RoomIdDto,
} from '../dto/calls.dto';
import { CallEvents, type CallPush } from '../services/call-events.service';
import { type CallActor, CallService } from '../services/call.service';
import { RecordingService } from '../services/recording.service';
import { reply, validatePayload } from './socket-reply';

/** Set by the directory gateway's handshake middleware (authenticated user). */
interface SocketData {
  userId?: string;
}

type CallsSocket = Socket<Record<string, never>, SocketEvents, Record<string, never>, SocketData>;

/** socket.io room of every tab of a user (joined by the directory gateway on connection). */
export const userRoom = (userId: string) => `user:${userId}`;

/**
 * `call.*` requests and pushes on the shared socket (`/socket.io`). Every payload is validated
 * (`bad_request`), every request authorized (only participants act on a call); errors never
 * disconnect.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class CallsGateway
  implements
    OnGatewayInit<Server>,
    OnGatewayConnection<CallsSocket>,
    OnGatewayDisconnect<CallsSocket>,
    OnModuleDestroy
{
  private readonly logger = new Logger(CallsGateway.name);
  private subscription?: Subscription;

  @WebSocketServer()
  server!: Server;

  constructor(
    private readonly calls: CallService,
    private readonly events: CallEvents,
    private readonly recordings: RecordingService,
  ) {}

  afterInit(): void {
    this.subscription = this.events.pushes$.subscribe((push) => this.deliver(push));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  handleConnection(socket: CallsSocket): void {
    if (socket.data.userId) this.calls.userConnected(socket.data.userId);
  }

  async handleDisconnect(socket: CallsSocket): Promise<void> {
    const userId = socket.data.userId;
    if (!userId || !this.server) return;
    try {
      const tabs = await this.server.in(userRoom(userId)).fetchSockets();
      if (tabs.every((tab) => tab.id === socket.id)) this.calls.userDisconnected(userId);
    } catch (error) {
      this.logger.error(`Call disconnect handling failed: ${String(error)}`);
    }
  }

  private actor(socket: CallsSocket): CallActor {
    const userId = socket.data.userId;
    if (!userId) throw new CallError('unauthorized', 'Sign in first');
    return { userId, socketId: socket.id };
  }

  @SubscribeMessage('call.start')
  start(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const dto = await validatePayload(CallStartDto, payload);
      return this.calls.start(this.actor(socket), dto.toRequest());
    }, this.logger);
  }

  @SubscribeMessage('call.answer')
  answer(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallJoinResponse>> {
    return reply(async () => {
      const { callId } = await validatePayload(CallIdDto, payload);
      return this.calls.answer(this.actor(socket), callId);
    }, this.logger);
  }

  @SubscribeMessage('call.join')
  join(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallJoinResponse>> {
    return reply(async () => {
      const { callId } = await validatePayload(CallIdDto, payload);
      return this.calls.join(this.actor(socket), callId);
    }, this.logger);
  }

  @SubscribeMessage('call.decline')
  decline(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId } = await validatePayload(CallIdDto, payload);
      return this.calls.decline(this.actor(socket), callId);
    }, this.logger);
  }

  @SubscribeMessage('call.cancel')
  cancel(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId } = await validatePayload(CallIdDto, payload);
      return this.calls.cancel(this.actor(socket), callId);
    }, this.logger);
  }

  @SubscribeMessage('call.hangup')
  hangup(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId, providerUnavailable } = await validatePayload(CallHangupDto, payload);
      return this.calls.hangup(this.actor(socket), callId, { providerUnavailable });
    }, this.logger);
  }

  @SubscribeMessage('call.media')
  media(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId, muted, cameraOff } = await validatePayload(CallMediaDto, payload);
      return this.calls.media(this.actor(socket), callId, muted, cameraOff);
    }, this.logger);
  }

  @SubscribeMessage('call.current')
  current(@ConnectedSocket() socket: CallsSocket): Promise<SocketReply<CallInfo[]>> {
    return reply(() => {
      const call = this.calls.currentCallOf(this.actor(socket).userId);
      return call ? [call] : [];
    }, this.logger);
  }

  @SubscribeMessage('call.room.get')
  roomGet(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<RoomCallInfo>> {
    return reply(async () => {
      const { roomId } = await validatePayload(RoomIdDto, payload);
      return this.calls.roomCall(this.actor(socket).userId, roomId);
    }, this.logger);
  }

  @SubscribeMessage('call.room.join')
  roomJoin(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallJoinResponse>> {
    return reply(async () => {
      const { roomId, providerType } = await validatePayload(CallRoomJoinDto, payload);
      return this.calls.roomJoin(this.actor(socket), roomId, providerType);
    }, this.logger);
  }

  @SubscribeMessage('call.hand')
  hand(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId, raised } = await validatePayload(CallHandDto, payload);
      return this.calls.hand(this.actor(socket), callId, raised);
    }, this.logger);
  }

  @SubscribeMessage('call.reaction')
  reaction(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<Record<string, never>>> {
    return reply(async () => {
      const { callId, emoji } = await validatePayload(CallReactionDto, payload);
      this.calls.reaction(this.actor(socket), callId, emoji);
      return {};
    }, this.logger);
  }

  @SubscribeMessage('call.host.mute')
  hostMute(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId, userId } = await validatePayload(CallHostMuteDto, payload);
      return this.calls.hostMute(this.actor(socket), callId, userId);
    }, this.logger);
  }

  @SubscribeMessage('call.host.stopScreenShare')
  hostStopScreenShare(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId, userId } = await validatePayload(CallHostTargetDto, payload);
      return this.calls.hostStopScreenShare(this.actor(socket), callId, userId);
    }, this.logger);
  }

  @SubscribeMessage('call.host.lowerHand')
  hostLowerHand(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId, userId } = await validatePayload(CallHostTargetDto, payload);
      return this.calls.hostLowerHand(this.actor(socket), callId, userId);
    }, this.logger);
  }

  @SubscribeMessage('call.host.remove')
  hostRemove(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId, userId } = await validatePayload(CallHostTargetDto, payload);
      return this.calls.hostRemove(this.actor(socket), callId, userId);
    }, this.logger);
  }

  @SubscribeMessage('call.host.transfer')
  hostTransfer(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId, userId } = await validatePayload(CallHostTargetDto, payload);
      return this.calls.hostTransfer(this.actor(socket), callId, userId);
    }, this.logger);
  }

  @SubscribeMessage('call.end')
  end(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId } = await validatePayload(CallIdDto, payload);
      return this.calls.end(this.actor(socket), callId);
    }, this.logger);
  }

  @SubscribeMessage('call.recording.start')
  recordingStart(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId } = await validatePayload(CallIdDto, payload);
      return this.recordings.start(this.actor(socket), callId);
    }, this.logger);
  }

  @SubscribeMessage('call.recording.stop')
  recordingStop(
    @ConnectedSocket() socket: CallsSocket,
    @MessageBody() payload: unknown,
  ): Promise<SocketReply<CallInfo>> {
    return reply(async () => {
      const { callId } = await validatePayload(CallIdDto, payload);
      return this.recordings.stop(this.actor(socket), callId);
    }, this.logger);
  }

  private deliver(push: CallPush): void {
    if (!this.server || push.userIds.length === 0) return;
    let target = this.server.to(push.userIds.map(userRoom));
    if (push.exceptSocketId) target = target.except(push.exceptSocketId);
    target.emit(push.event, push.data);
  }
}
