/**
 * One participant's media in a call (as a mediasoup-demo peer): the transports their tabs (or
 * server-side tools) made, and the producers and consumers on them. Each is kept until mediasoup
 * says it closed (its observer's `close`), so closing a transport, the router or losing the worker
 * cascades here without bookkeeping; the room hears of closed producers through {@link PeerListener}.
 */
import { SocketError } from '@parley/connector-sdk';
import { errorMessage, type MediaKind } from '@parley/protocol';
import type { types } from 'mediasoup';
import type { PeerListener, PeerTransport, TransportDirection } from './media-types';

/** A peer's transport and the tab that made it (empty for server-side plain transports). */
export interface PeerTransportEntry {
  transport: PeerTransport;
  socketId: string;
}

const QUIET: PeerListener = { producerClosed: () => undefined, consumerProducerClosed: () => undefined };

export function directionOf(transport: PeerTransport): TransportDirection | undefined {
  return (transport.appData as { direction?: TransportDirection }).direction;
}

export class Peer {
  readonly transports = new Map<string, PeerTransportEntry>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();
  /** Tabs that made transports here (pushes go to them; kept across a worker restart). */
  readonly socketIds: Set<string>;

  constructor(
    readonly userId: string,
    socketIds: Iterable<string> = [],
    private readonly listener: PeerListener = QUIET,
  ) {
    this.socketIds = new Set(socketIds);
  }

  sockets(): string[] {
    return [...this.socketIds];
  }

  /** Whether a transport, producer or consumer of this id is the peer's. */
  owns(id: string): boolean {
    return this.transports.has(id) || this.producers.has(id) || this.consumers.has(id);
  }

  /** Keeps `transport` until it closes; a tab's transport makes the tab one of the peer's. */
  addTransport(transport: PeerTransport, socketId: string): void {
    this.transports.set(transport.id, { transport, socketId });
    if (socketId) this.socketIds.add(socketId);
    const observer: types.TransportObserver = transport.observer;
    observer.once('close', () => this.transports.delete(transport.id));
  }

  /** Closes the peer's transports (all, or those of one tab); their producers and consumers follow. */
  closeTransports(socketId?: string): void {
    for (const entry of [...this.transports.values()]) {
      if (socketId === undefined || entry.socketId === socketId) entry.transport.close();
    }
  }

  /** One of the peer's open transports (`not_found` otherwise). */
  transport(transportId: string): PeerTransport {
    const entry = this.transports.get(transportId);
    if (!entry || entry.transport.closed)
      throw new SocketError('not_found', `Unknown transport ${transportId}`);
    return entry.transport;
  }

  /** A WebRTC transport of the peer (what clients connect and restart); plain ones are not theirs. */
  webrtcTransport(transportId: string): types.WebRtcTransport {
    const transport = this.transport(transportId);
    if (transport.type !== 'webrtc') throw new SocketError('not_found', `Unknown transport ${transportId}`);
    return transport;
  }

  producer(producerId: string): types.Producer {
    const producer = this.producers.get(producerId);
    if (!producer) throw new SocketError('not_found', `Unknown producer ${producerId}`);
    return producer;
  }

  consumer(consumerId: string): types.Consumer {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) throw new SocketError('not_found', `Unknown consumer ${consumerId}`);
    return consumer;
  }

  async connect(transportId: string, dtlsParameters: unknown): Promise<void> {
    const transport = this.webrtcTransport(transportId);
    await fromClient('dtlsParameters', () =>
      transport.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters }),
    );
  }

  async restartIce(transportId: string): Promise<types.IceParameters> {
    return { ...(await this.webrtcTransport(transportId).restartIce()) };
  }

  /** A producer on one of the peer's send transports; a screen share only where it is allowed. */
  async produce(
    transportId: string,
    kind: MediaKind,
    rtpParameters: unknown,
    appData: Record<string, unknown>,
    policy: { screenShareAllowed: boolean },
  ): Promise<types.Producer> {
    const transport = this.transport(transportId);
    if (directionOf(transport) !== 'send')
      throw new SocketError('bad_request', 'Produce on a send transport');
    if (appData['source'] === 'screen' && !policy.screenShareAllowed) {
      throw new SocketError('forbidden', 'Screen sharing is turned off by the administrators');
    }
    const producer = await fromClient('rtpParameters', () =>
      transport.produce({
        kind,
        rtpParameters: rtpParameters as types.RtpParameters,
        appData: { ...appData, userId: this.userId },
      }),
    );
    this.producers.set(producer.id, producer);
    producer.observer.once('close', () => {
      if (this.producers.delete(producer.id)) this.listener.producerClosed(this, producer);
    });
    return producer;
  }

  async setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    const producer = this.producer(producerId);
    if (paused) await producer.pause();
    else await producer.resume();
  }

  /** A paused consumer of `producerId` on the peer's recv transport (the client resumes it). */
  async consume(producerId: string, rtpCapabilities: types.RtpCapabilities): Promise<types.Consumer> {
    const recv = [...this.transports.values()].find(
      ({ transport }) => !transport.closed && directionOf(transport) === 'recv',
    );
    if (!recv) throw new SocketError('bad_request', 'Create a recv transport first');
    const consumer = await fromClient('rtpCapabilities', () =>
      recv.transport.consume({ producerId, rtpCapabilities, paused: true }),
    );
    this.consumers.set(consumer.id, consumer);
    consumer.on('producerclose', () => this.listener.consumerProducerClosed(this, consumer));
    consumer.observer.once('close', () => this.consumers.delete(consumer.id));
    return consumer;
  }

  async setConsumerPaused(consumerId: string, paused: boolean): Promise<void> {
    const consumer = this.consumer(consumerId);
    if (paused) await consumer.pause();
    else await consumer.resume();
  }

  /** Simulcast/SVC layers the peer wants of a video consumer (e.g. by tile size). */
  async setPreferredLayers(consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const consumer = this.consumer(consumerId);
    if (consumer.kind !== 'video') throw new SocketError('bad_request', 'Layers apply to video consumers');
    await consumer.setPreferredLayers({
      spatialLayer,
      ...(temporalLayer === undefined ? {} : { temporalLayer }),
    });
  }
}

/** Runs a mediasoup call whose failure means the client sent bad parameters. */
async function fromClient<T>(field: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TypeError || (error as Error)?.name === 'TypeError') {
      throw new SocketError('bad_request', `Invalid ${field}: ${errorMessage(error)}`);
    }
    throw new SocketError('bad_request', `${field} refused: ${errorMessage(error)}`);
  }
}
