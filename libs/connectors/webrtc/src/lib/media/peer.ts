/**
 * One participant's media in a call (as a mediasoup-demo peer): the transports their tabs (or
 * server-side tools) made, and the producers and consumers on them. Each is kept until mediasoup
 * says it closed (its observer's `close`), so closing a transport, the router or losing the worker
 * cascades here without bookkeeping; the room hears of closed producers through {@link PeerListener}.
 */
import { SocketError } from '@parley/connector-sdk';
import type { MediaKind } from '@parley/protocol';
import type { types } from 'mediasoup';
import { codecKindProblem, fromClient } from './client-input';
import { PEER_LIMITS, type PeerListener, type PeerTransport, type TransportDirection } from './media-types';

/** A peer's transport and the tab that made it (empty for server-side plain transports). */
export interface PeerTransportEntry {
  transport: PeerTransport;
  socketId: string;
}

const QUIET: PeerListener = { producerClosed: () => undefined, consumerProducerClosed: () => undefined };

const LIMIT_MESSAGES: Record<keyof typeof PEER_LIMITS, string> = {
  transports: `Too many media connections in this call (at most ${PEER_LIMITS.transports} for all your tabs): close other tabs of the call or leave and join again`,
  producers: `Too many media streams sent in this call (at most ${PEER_LIMITS.producers}): stop one first`,
};

export function directionOf(transport: PeerTransport): TransportDirection | undefined {
  return (transport.appData as { direction?: TransportDirection }).direction;
}

export class Peer {
  readonly transports = new Map<string, PeerTransportEntry>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();
  /** Tabs that made transports here (pushes go to them; kept across a worker restart). */
  readonly socketIds: Set<string>;
  /** Transports and producers being made (counted against {@link PEER_LIMITS} already). */
  private readonly making = { transports: 0, producers: 0 };

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

  /**
   * Runs `make` (which adds a WebRTC transport, or a producer) unless the peer holds its
   * {@link PEER_LIMITS} of them already, counting those still being made: `conflict` otherwise.
   */
  async withinLimit<T>(what: keyof typeof PEER_LIMITS, make: () => Promise<T>): Promise<T> {
    const held =
      what === 'producers'
        ? this.producers.size
        : [...this.transports.values()].filter(({ transport }) => transport.type === 'webrtc').length;
    if (held + this.making[what] >= PEER_LIMITS[what])
      throw new SocketError('conflict', LIMIT_MESSAGES[what]);
    this.making[what]++;
    try {
      return await make();
    } finally {
      this.making[what]--;
    }
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
    const mismatch = codecKindProblem(kind, rtpParameters);
    if (mismatch) throw new SocketError('bad_request', mismatch);
    return this.withinLimit('producers', async () => {
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
    });
  }

  async setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    const producer = this.producer(producerId);
    if (paused) await producer.pause();
    else await producer.resume();
  }

  /**
   * A paused consumer of `producerId` on the recv transport that the tab `socketId` made (the
   * client resumes it); `''` picks the peer's server-side (plain) recv transport. One consumer per
   * producer and transport: a second one is refused `conflict`, so a client cannot pile up
   * consumers (their number stays bounded by the room's producers times the peer's transports).
   */
  async consume(
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
    socketId = '',
  ): Promise<types.Consumer> {
    const recv = [...this.transports.values()].find(
      (entry) =>
        !entry.transport.closed && directionOf(entry.transport) === 'recv' && entry.socketId === socketId,
    );
    if (!recv) throw new SocketError('bad_request', 'Create a recv transport first (from this tab)');
    const existing = [...this.consumers.values()].find(
      (consumer) => consumer.producerId === producerId && this.transportOf(consumer) === recv.transport.id,
    );
    if (existing)
      throw new SocketError('conflict', `Already receiving producer ${producerId} (consumer ${existing.id})`);
    const consumer = await fromClient('rtpCapabilities', () =>
      recv.transport.consume({
        producerId,
        rtpCapabilities,
        paused: true,
        appData: { transportId: recv.transport.id },
      }),
    );
    this.consumers.set(consumer.id, consumer);
    consumer.on('producerclose', () => this.listener.consumerProducerClosed(this, consumer));
    consumer.observer.once('close', () => this.consumers.delete(consumer.id));
    return consumer;
  }

  private transportOf(consumer: types.Consumer): string | undefined {
    return (consumer.appData as { transportId?: string }).transportId;
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
