import { type OnModuleDestroy } from '@nestjs/common';
import {
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
} from '@parley/connector-sdk';
import type {
  SocketEvents,
  WebrtcProduceResponse,
  WebrtcRestartIceResponse,
  WebrtcStatsResponse,
} from '@parley/protocol';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import { MediasoupService } from './mediasoup.service';
import {
  CallIdDto,
  ConsumeDto,
  ConsumerDto,
  PreferredLayersDto,
  ProduceDto,
  ProducerDto,
  QualityDto,
  StatsDto,
  TransportConnectDto,
  TransportCreateDto,
  TransportDto,
} from './webrtc.dto';

type WebrtcSocket = Socket<Record<string, never>, SocketEvents, Record<string, never>, ParleySocketData>;

/**
 * The mediasoup exchange of the built-in connector (`webrtc.*`) on the shared socket. Only joined
 * participants of a call may use it; every transport/producer/consumer id is checked against its
 * owner. Nothing here touches the database.
 */
@ParleyGateway()
export class WebrtcGateway
  implements OnGatewayInit<Server>, OnGatewayDisconnect<WebrtcSocket>, OnModuleDestroy
{
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
  createTransport(@Actor() actor: SocketActor, @Payload() { callId, direction }: TransportCreateDto) {
    return this.media.createTransport(callId, actor.userId, actor.socketId, direction);
  }

  @SubscribeMessage('webrtc.transport.connect')
  async connectTransport(
    @Actor() actor: SocketActor,
    @Payload() { transportId, dtlsParameters }: TransportConnectDto,
  ): Promise<void> {
    await this.media.connectTransport(actor.userId, transportId, dtlsParameters);
  }

  @SubscribeMessage('webrtc.transport.restartIce')
  async restartIce(
    @Actor() actor: SocketActor,
    @Payload() { transportId }: TransportDto,
  ): Promise<WebrtcRestartIceResponse> {
    return { iceParameters: { ...(await this.media.restartIce(actor.userId, transportId)) } };
  }

  @SubscribeMessage('webrtc.produce')
  async produce(@Actor() actor: SocketActor, @Payload() request: ProduceDto): Promise<WebrtcProduceResponse> {
    const { transportId, kind, rtpParameters, appData } = request;
    return {
      producerId: await this.media.produce(actor.userId, transportId, kind, rtpParameters, appData ?? {}),
    };
  }

  @SubscribeMessage('webrtc.producer.pause')
  async pauseProducer(@Actor() actor: SocketActor, @Payload() { producerId }: ProducerDto): Promise<void> {
    await this.media.setProducerPaused(actor.userId, producerId, true);
  }

  @SubscribeMessage('webrtc.producer.resume')
  async resumeProducer(@Actor() actor: SocketActor, @Payload() { producerId }: ProducerDto): Promise<void> {
    await this.media.setProducerPaused(actor.userId, producerId, false);
  }

  @SubscribeMessage('webrtc.producer.close')
  closeProducer(@Actor() actor: SocketActor, @Payload() { producerId }: ProducerDto): void {
    this.media.closeProducer(actor.userId, producerId);
  }

  @SubscribeMessage('webrtc.producers')
  producers(@Actor() actor: SocketActor, @Payload() { callId }: CallIdDto) {
    return this.media.listProducers(callId, actor.userId);
  }

  @SubscribeMessage('webrtc.consume')
  consume(@Actor() actor: SocketActor, @Payload() { callId, producerId, rtpCapabilities }: ConsumeDto) {
    return this.media.consume(callId, actor.userId, producerId, rtpCapabilities, actor.socketId);
  }

  @SubscribeMessage('webrtc.consumer.resume')
  async resumeConsumer(@Actor() actor: SocketActor, @Payload() { consumerId }: ConsumerDto): Promise<void> {
    await this.media.setConsumerPaused(actor.userId, consumerId, false);
  }

  @SubscribeMessage('webrtc.consumer.pause')
  async pauseConsumer(@Actor() actor: SocketActor, @Payload() { consumerId }: ConsumerDto): Promise<void> {
    await this.media.setConsumerPaused(actor.userId, consumerId, true);
  }

  @SubscribeMessage('webrtc.consumer.setPreferredLayers')
  async setPreferredLayers(
    @Actor() actor: SocketActor,
    @Payload() { consumerId, spatialLayer, temporalLayer }: PreferredLayersDto,
  ): Promise<void> {
    await this.media.setPreferredLayers(actor.userId, consumerId, spatialLayer, temporalLayer);
  }

  @SubscribeMessage('webrtc.quality')
  quality(@Actor() actor: SocketActor, @Payload() { transportId, candidateType }: QualityDto): void {
    this.media.setCandidateType(actor.userId, transportId, candidateType);
  }

  @SubscribeMessage('webrtc.stats')
  async stats(@Actor() actor: SocketActor, @Payload() { id }: StatsDto): Promise<WebrtcStatsResponse> {
    return { stats: await this.media.stats(actor.userId, id) };
  }
}
