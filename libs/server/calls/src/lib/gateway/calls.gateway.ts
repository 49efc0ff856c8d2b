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
import type { CallInfo, SocketEvents } from '@parley/protocol';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import {
  CallHandDto,
  CallHostMuteDto,
  CallHostTargetDto,
  CallHangupDto,
  CallDeclineDto,
  CallIdDto,
  CallMediaDto,
  CallReactionDto,
  CallRoomJoinDto,
  CallStartDto,
  RoomIdDto,
} from '../dto/calls.dto';
import { CallEvents, type CallPush } from '../services/call-events.service';
import { CallLifecycle } from '../services/call-lifecycle.service';
import { CallModeration } from '../services/call-moderation.service';
import { CallService } from '../services/call.service';
import { GroupCalls } from '../services/group-calls.service';
import { OneToOneCalls } from '../services/one-to-one-calls.service';
import { RecordingService } from '../services/recording.service';

type CallsSocket = Socket<Record<string, never>, SocketEvents, Record<string, never>, ParleySocketData>;

/**
 * `call.*` requests and pushes on the shared socket (`/socket.io`). Every payload is validated
 * (`bad_request`), every request authorized (only participants act on a call); errors never
 * disconnect.
 */
@ParleyGateway()
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
    private readonly lifecycle: CallLifecycle,
    private readonly oneToOne: OneToOneCalls,
    private readonly groups: GroupCalls,
    private readonly moderation: CallModeration,
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
    if (socket.data.userId) this.lifecycle.userConnected(socket.data.userId);
  }

  async handleDisconnect(socket: CallsSocket): Promise<void> {
    const userId = socket.data.userId;
    if (!userId || !this.server) return;
    try {
      const tabs = await this.server.in(userChannel(userId)).fetchSockets();
      if (tabs.every((tab) => tab.id === socket.id)) this.calls.userDisconnected(userId);
    } catch (error) {
      this.logger.error(`Call disconnect handling failed: ${String(error)}`);
    }
  }

  @SubscribeMessage('call.start')
  start(@Actor() actor: SocketActor, @Payload() dto: CallStartDto) {
    return this.calls.start(actor, dto.toRequest());
  }

  @SubscribeMessage('call.answer')
  answer(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
    return this.oneToOne.answer(actor, callId);
  }

  @SubscribeMessage('call.join')
  join(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
    return this.calls.join(actor, callId);
  }

  @SubscribeMessage('call.decline')
  decline(@Actor() actor: SocketActor, @Payload() { callId, noMedia }: CallDeclineDto) {
    return this.oneToOne.decline(actor, callId, { noMedia });
  }

  @SubscribeMessage('call.cancel')
  cancel(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
    return this.oneToOne.cancel(actor, callId);
  }

  @SubscribeMessage('call.hangup')
  hangup(@Actor() actor: SocketActor, @Payload() { callId, providerUnavailable }: CallHangupDto) {
    return this.calls.hangup(actor, callId, { providerUnavailable });
  }

  @SubscribeMessage('call.media')
  media(@Actor() actor: SocketActor, @Payload() { callId, muted, cameraOff }: CallMediaDto) {
    return this.lifecycle.media(actor, callId, muted, cameraOff);
  }

  @SubscribeMessage('call.room.get')
  roomGet(@Actor() actor: SocketActor, @Payload() { roomId }: RoomIdDto) {
    return this.groups.roomCall(actor.userId, roomId);
  }

  @SubscribeMessage('call.room.join')
  roomJoin(@Actor() actor: SocketActor, @Payload() { roomId, providerType }: CallRoomJoinDto) {
    return this.groups.roomJoin(actor, roomId, providerType);
  }

  @SubscribeMessage('call.hand')
  hand(@Actor() actor: SocketActor, @Payload() { callId, raised }: CallHandDto) {
    return this.moderation.hand(actor, callId, raised);
  }

  @SubscribeMessage('call.host.mute')
  hostMute(@Actor() actor: SocketActor, @Payload() { callId, userId }: CallHostMuteDto) {
    return this.moderation.hostMute(actor, callId, userId);
  }

  @SubscribeMessage('call.host.stopScreenShare')
  hostStopScreenShare(@Actor() actor: SocketActor, @Payload() { callId, userId }: CallHostTargetDto) {
    return this.moderation.hostStopScreenShare(actor, callId, userId);
  }

  @SubscribeMessage('call.host.lowerHand')
  hostLowerHand(@Actor() actor: SocketActor, @Payload() { callId, userId }: CallHostTargetDto) {
    return this.moderation.hostLowerHand(actor, callId, userId);
  }

  @SubscribeMessage('call.host.remove')
  hostRemove(@Actor() actor: SocketActor, @Payload() { callId, userId }: CallHostTargetDto) {
    return this.moderation.hostRemove(actor, callId, userId);
  }

  @SubscribeMessage('call.host.transfer')
  hostTransfer(@Actor() actor: SocketActor, @Payload() { callId, userId }: CallHostTargetDto) {
    return this.moderation.hostTransfer(actor, callId, userId);
  }

  @SubscribeMessage('call.end')
  end(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
    return this.moderation.end(actor, callId);
  }

  @SubscribeMessage('call.recording.start')
  recordingStart(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
    return this.recordings.start(actor, callId);
  }

  @SubscribeMessage('call.recording.stop')
  recordingStop(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
    return this.recordings.stop(actor, callId);
  }

  @SubscribeMessage('call.current')
  current(@Actor() actor: SocketActor): CallInfo[] {
    const call = this.lifecycle.currentCallOf(actor.userId);
    return call ? [call] : [];
  }

  @SubscribeMessage('call.reaction')
  reaction(@Actor() actor: SocketActor, @Payload() { callId, emoji }: CallReactionDto): void {
    this.moderation.reaction(actor, callId, emoji);
  }

  private deliver(push: CallPush): void {
    if (!this.server || push.userIds.length === 0) return;
    let target = this.server.to(push.userIds.map(userChannel));
    if (push.exceptSocketId) target = target.except(push.exceptSocketId);
    target.emit(push.event, push.data);
  }
}
