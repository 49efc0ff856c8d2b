import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type {
  SocketEvents,
  SocketReply,
  WebrtcConsumerInfo,
  WebrtcProduceResponse,
  WebrtcProducerEvent,
  WebrtcRestartIceResponse,
  WebrtcStatsResponse,
  WebrtcTransportInfo,
} from '@parley/protocol';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import { WebrtcError, webrtcReply } from './errors';
import { MediasoupService } from './mediasoup.service';
import {
  CallIdDto,
  ConsumeDto,
  ConsumerDto,
  PreferredLayersDto,
  ProduceDto,
  ProducerDto,
  StatsDto,
  TransportConnectDto,
  TransportCreateDto,
  TransportDto,
} from './webrtc.dto';

interface SocketData {
  userId?: string;
}

type WebrtcSocket = Socket<Record<string, never>, SocketEvents, Record<string, never>, SocketData>;
type Empty = Record<string, never>;

async function payload<T extends object>(type: new () => T, value: unknown): Promise<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WebrtcError('bad_request', 'payload must be an object');
  }
  const instance = plainToInstance(type, value);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new WebrtcError(
      'bad_request',
      errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; '),
    );
  }
  return instance;
}

function userOf(socket: WebrtcSocket): string {
  const userId = socket.data.userId;
  if (!userId) throw new WebrtcError('unauthorized', 'Sign in first');
  return userId;
}

/**
 * The mediasoup exchange of the built-in connector (`webrtc.*`) on the shared socket. Only joined
 * participants of a call may use it; every transport/producer/consumer id is checked against its
 * owner. Nothing here touches the database.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class WebrtcGateway
  implements OnGatewayInit<Server>, OnGatewayDisconnect<WebrtcSocket>, OnModuleDestroy
{
  private readonly logger = new Logger(WebrtcGateway.name);
  private subscription?: Subscription;

  @WebSocketServer()
  server!: Server;

  constructor(private readonly media: MediasoupService) {}

  afterInit(): void {
    this.subscription = this.media.pushes$.subscribe((push) => {
      if (this.server) this.server.to(push.socketIds).emit(push.event, push.data);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  handleDisconnect(socket: WebrtcSocket): void {
    this.media.socketClosed(socket.id);
  }

  @SubscribeMessage('webrtc.transport.create')
  createTransport(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<WebrtcTransportInfo>> {
    return webrtcReply(async () => {
      const { callId, direction } = await payload(TransportCreateDto, body);
      return this.media.createTransport(callId, userOf(socket), socket.id, direction);
    }, this.logger);
  }

  @SubscribeMessage('webrtc.transport.connect')
  connectTransport(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<Empty>> {
    return webrtcReply(async () => {
      const { transportId, dtlsParameters } = await payload(TransportConnectDto, body);
      await this.media.connectTransport(userOf(socket), transportId, dtlsParameters);
      return {};
    }, this.logger);
  }

  @SubscribeMessage('webrtc.transport.restartIce')
  restartIce(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<WebrtcRestartIceResponse>> {
    return webrtcReply(async () => {
      const { transportId } = await payload(TransportDto, body);
      return { iceParameters: { ...(await this.media.restartIce(userOf(socket), transportId)) } };
    }, this.logger);
  }

  @SubscribeMessage('webrtc.produce')
  produce(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<WebrtcProduceResponse>> {
    return webrtcReply(async () => {
      const request = await payload(ProduceDto, body);
      const producerId = await this.media.produce(
        userOf(socket),
        request.transportId,
        request.kind,
        request.rtpParameters,
        request.appData ?? {},
      );
      return { producerId };
    }, this.logger);
  }

  @SubscribeMessage('webrtc.producer.pause')
  pauseProducer(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<Empty>> {
    return webrtcReply(async () => {
      const { producerId } = await payload(ProducerDto, body);
      await this.media.setProducerPaused(userOf(socket), producerId, true);
      return {};
    }, this.logger);
  }

  @SubscribeMessage('webrtc.producer.resume')
  resumeProducer(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<Empty>> {
    return webrtcReply(async () => {
      const { producerId } = await payload(ProducerDto, body);
      await this.media.setProducerPaused(userOf(socket), producerId, false);
      return {};
    }, this.logger);
  }

  @SubscribeMessage('webrtc.producer.close')
  closeProducer(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<Empty>> {
    return webrtcReply(async () => {
      const { producerId } = await payload(ProducerDto, body);
      this.media.closeProducer(userOf(socket), producerId);
      return {};
    }, this.logger);
  }

  @SubscribeMessage('webrtc.producers')
  producers(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<WebrtcProducerEvent[]>> {
    return webrtcReply(async () => {
      const { callId } = await payload(CallIdDto, body);
      return this.media.listProducers(callId, userOf(socket));
    }, this.logger);
  }

  @SubscribeMessage('webrtc.consume')
  consume(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<WebrtcConsumerInfo>> {
    return webrtcReply(async () => {
      const { callId, producerId, rtpCapabilities } = await payload(ConsumeDto, body);
      return this.media.consume(callId, userOf(socket), producerId, rtpCapabilities);
    }, this.logger);
  }

  @SubscribeMessage('webrtc.consumer.resume')
  resumeConsumer(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<Empty>> {
    return webrtcReply(async () => {
      const { consumerId } = await payload(ConsumerDto, body);
      await this.media.setConsumerPaused(userOf(socket), consumerId, false);
      return {};
    }, this.logger);
  }

  @SubscribeMessage('webrtc.consumer.pause')
  pauseConsumer(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<Empty>> {
    return webrtcReply(async () => {
      const { consumerId } = await payload(ConsumerDto, body);
      await this.media.setConsumerPaused(userOf(socket), consumerId, true);
      return {};
    }, this.logger);
  }

  @SubscribeMessage('webrtc.consumer.setPreferredLayers')
  setPreferredLayers(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<Empty>> {
    return webrtcReply(async () => {
      const { consumerId, spatialLayer, temporalLayer } = await payload(PreferredLayersDto, body);
      await this.media.setPreferredLayers(userOf(socket), consumerId, spatialLayer, temporalLayer);
      return {};
    }, this.logger);
  }

  @SubscribeMessage('webrtc.stats')
  stats(
    @ConnectedSocket() socket: WebrtcSocket,
    @MessageBody() body: unknown,
  ): Promise<SocketReply<WebrtcStatsResponse>> {
    return webrtcReply(async () => {
      const { id } = await payload(StatsDto, body);
      return { stats: await this.media.stats(userOf(socket), id) };
    }, this.logger);
  }
}
