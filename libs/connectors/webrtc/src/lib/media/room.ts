/**
 * One call's media on this server (as mediasoup-demo's Room): its router on one worker slot, the
 * speaker observers, a {@link Peer} per joined participant, and the recording taps watching it. The
 * room does the call's signalling (transports, produce, consume, pause) and tells the other
 * participants through {@link RoomContext.push}. Closing the router closes everything in it
 * (mediasoup's cascade, heard by the peers through their objects' observers).
 */
import { SocketError } from '@parley/connector-sdk';
import {
  errorMessage,
  type MediaKind,
  type WebrtcConsumerInfo,
  type WebrtcProducerEvent,
  type WebrtcTransportInfo,
} from '@parley/protocol';
import type { types } from 'mediasoup';
import type { TapListener } from '../recording/recording-types';
import type { WebrtcSettings } from '../settings';
import { refusedMessage } from './client-input';
import type {
  PeerListener,
  PlainTransportOptions,
  RoomContext,
  TapEntry,
  TransportDirection,
  WorkerSlot,
} from './media-types';
import { Peer } from './peer';
import { closeTaps, notifyTaps, tapProducer } from './recording-tap';

export class Room {
  readonly peers = new Map<string, Peer>();
  /** Recorders watching the call (not participants: never listed, never pushed to). */
  readonly taps = new Set<TapEntry>();
  activeSpeaker: types.ActiveSpeakerObserver | null = null;
  audioLevels: types.AudioLevelObserver | null = null;
  /** User id of the last dominant speaker. */
  dominantUserId: string | null = null;
  /** Provider settings as of the last join. */
  settings: WebrtcSettings;
  private readonly peerListener: PeerListener = {
    producerClosed: (peer, producer) => {
      this.notifyTaps((listener) => listener.producerClosed(producer.id));
      this.context.push(this.otherSockets(peer.userId), 'webrtc.producer.closed', {
        callId: this.callId,
        producerId: producer.id,
        userId: peer.userId,
      });
    },
    consumerProducerClosed: (peer, consumer) =>
      this.context.push(peer.sockets(), 'webrtc.consumer.closed', {
        callId: this.callId,
        consumerId: consumer.id,
        producerId: consumer.producerId,
      }),
  };

  /** A room whose speaker observers are running (or logged as unavailable). */
  static async open(
    callId: string,
    slot: WorkerSlot,
    router: types.Router,
    settings: WebrtcSettings,
    context: RoomContext,
  ): Promise<Room> {
    const room = new Room(callId, slot, router, settings, context);
    try {
      await room.observeSpeakers();
    } catch (error) {
      context.logger.warn(`speaker detection unavailable for call ${callId}: ${errorMessage(error)}`);
    }
    return room;
  }

  constructor(
    readonly callId: string,
    readonly slot: WorkerSlot,
    readonly router: types.Router,
    settings: WebrtcSettings,
    private readonly context: RoomContext,
  ) {
    this.settings = { ...settings };
  }

  /** The router's RTP capabilities as plain data (for a client's Device.load). */
  rtpCapabilities(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.router.rtpCapabilities)) as Record<string, unknown>;
  }

  /** The participant's peer, made on their first join (with the tabs a worker restart kept). */
  admit(userId: string, socketIds: Iterable<string> = []): Peer {
    let peer = this.peers.get(userId);
    if (!peer) {
      peer = new Peer(userId, socketIds, this.peerListener);
      this.peers.set(userId, peer);
    }
    return peer;
  }

  /** A joined participant's peer (`forbidden` otherwise). */
  member(userId: string): Peer {
    const peer = this.peers.get(userId);
    if (!peer) throw new SocketError('forbidden', 'Join the call first (call.answer or call.join)');
    return peer;
  }

  /** The participant left: everything they had closes (the others hear of their producers). */
  leave(userId: string): void {
    this.peers.get(userId)?.closeTransports();
    this.peers.delete(userId);
  }

  /** A tab went away: the transports it made close, the participant stays. */
  socketClosed(socketId: string): void {
    for (const peer of this.peers.values()) {
      peer.socketIds.delete(socketId);
      peer.closeTransports(socketId);
    }
  }

  /** The call ended or its worker died: the recorders are told why, and the router closes. */
  close(reason: string): void {
    closeTaps(this, reason, this.context.logger);
    this.router.close();
  }

  /** Every tab of every participant. */
  sockets(): string[] {
    return [...this.peers.values()].flatMap((peer) => peer.sockets());
  }

  /** The tabs of everyone but `userId`. */
  otherSockets(userId: string): string[] {
    return [...this.peers.values()].filter((p) => p.userId !== userId).flatMap((p) => p.sockets());
  }

  /** A producer of any participant. */
  producer(producerId: string): types.Producer | null {
    return this.producerOwner(producerId)?.producers.get(producerId) ?? null;
  }

  private producerOwner(producerId: string): Peer | null {
    for (const peer of this.peers.values()) if (peer.producers.has(producerId)) return peer;
    return null;
  }

  // ---- signalling ------------------------------------------------------------------------------

  /** A WebRTC transport of `peer`'s tab on the worker's WebRtcServer, capped at `maxBitrate`. */
  async createWebRtcTransport(
    peer: Peer,
    socketId: string,
    direction: TransportDirection,
  ): Promise<WebrtcTransportInfo> {
    const { webRtcServer } = this.slot;
    const { maxBitrate } = this.settings;
    if (!webRtcServer || webRtcServer.closed) throw new SocketError('internal', 'media server unavailable');
    const transport = await peer.withinLimit('transports', async () => {
      const made = await this.router.createWebRtcTransport({
        webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: Math.min(maxBitrate, 1_000_000),
        appData: { userId: peer.userId, direction },
      });
      peer.addTransport(made, socketId);
      return made;
    });
    if (direction === 'send') await transport.setMaxIncomingBitrate(maxBitrate).catch(() => undefined);
    return {
      id: transport.id,
      iceParameters: { ...transport.iceParameters },
      iceCandidates: transport.iceCandidates.map((candidate) => ({ ...candidate })),
      dtlsParameters: { ...transport.dtlsParameters },
      sctpParameters: transport.sctpParameters ? { ...transport.sctpParameters } : null,
    };
  }

  /**
   * Server-side media (recording, load benchmarks such as `bench/sfu`): a PlainTransport (RTP/RTCP
   * over UDP, no ICE/DTLS; SRTP if asked) of `peer`, produced and consumed on like a WebRTC one.
   */
  async createPlainTransport(
    peer: Peer,
    direction: TransportDirection,
    options: PlainTransportOptions = {},
  ): Promise<types.PlainTransport> {
    const transport = await this.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: options.listenIp ?? '127.0.0.1' },
      rtcpMux: true,
      comedia: options.comedia ?? direction === 'send',
      enableSrtp: options.enableSrtp ?? false,
      appData: { userId: peer.userId, direction },
    });
    peer.addTransport(transport, '');
    return transport;
  }

  /** `peer` produces: the speaker observers hear microphones, the others and the recorders are told. */
  async produce(
    peer: Peer,
    transportId: string,
    kind: MediaKind,
    rtpParameters: unknown,
    appData: Record<string, unknown>,
  ): Promise<string> {
    const producer = await peer.produce(transportId, kind, rtpParameters, appData, {
      screenShareAllowed: this.settings.screenShareAllowed !== false,
    });
    if (kind === 'audio' && appData['source'] !== 'screen') {
      await this.activeSpeaker?.addProducer({ producerId: producer.id }).catch(() => undefined);
      await this.audioLevels?.addProducer({ producerId: producer.id }).catch(() => undefined);
    }
    this.notifyTaps((listener) => listener.producerAdded(tapProducer(peer.userId, producer)));
    this.context.push(
      this.otherSockets(peer.userId),
      'webrtc.producer.new',
      this.producerEvent(peer, producer),
    );
    return producer.id;
  }

  /** Pauses or resumes a producer of `peer`; the others and the recorders are told. */
  async setProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<void> {
    await peer.setProducerPaused(producerId, paused);
    this.notifyTaps((listener) => listener.producerPaused(producerId, paused));
    this.context.push(
      this.otherSockets(peer.userId),
      paused ? 'webrtc.producer.paused' : 'webrtc.producer.resumed',
      { callId: this.callId, producerId, userId: peer.userId },
    );
  }

  /** The other participants' producers, for `userId` to consume on join. */
  producersFor(userId: string): WebrtcProducerEvent[] {
    return [...this.peers.values()]
      .filter((peer) => peer.userId !== userId)
      .flatMap((peer) => [...peer.producers.values()].map((producer) => this.producerEvent(peer, producer)));
  }

  /**
   * `peer` receives another participant's producer on the recv transport of its tab `socketId`
   * (`''`: its server-side one), paused until the client resumes it.
   */
  async consume(
    peer: Peer,
    producerId: string,
    rtpCapabilities: unknown,
    socketId = '',
  ): Promise<WebrtcConsumerInfo> {
    const owner = this.producerOwner(producerId);
    if (!owner) throw new SocketError('not_found', `Unknown producer ${producerId}`);
    if (owner === peer) throw new SocketError('bad_request', 'Do not consume your own producer');
    const caps = rtpCapabilities as types.RtpCapabilities;
    let canConsume: boolean;
    try {
      canConsume = this.router.canConsume({ producerId, rtpCapabilities: caps });
    } catch {
      throw new SocketError('bad_request', refusedMessage('rtpCapabilities'));
    }
    if (!canConsume)
      throw new SocketError('bad_request', 'These rtpCapabilities cannot receive this producer');
    const consumer = await peer.consume(producerId, caps, socketId);
    return {
      id: consumer.id,
      producerId,
      kind: consumer.kind,
      rtpParameters: { ...consumer.rtpParameters },
      userId: owner.userId,
      appData: { ...(owner.producers.get(producerId)?.appData ?? {}) },
      producerPaused: consumer.producerPaused,
    };
  }

  private producerEvent(peer: Peer, producer: types.Producer): WebrtcProducerEvent {
    return {
      callId: this.callId,
      producerId: producer.id,
      userId: peer.userId,
      kind: producer.kind,
      appData: { ...producer.appData },
      paused: producer.paused,
    };
  }

  // ---- speakers and recorders --------------------------------------------------------------------

  /** Tells every recorder of the room about a change. */
  notifyTaps(event: (listener: TapListener) => void): void {
    notifyTaps(this, event, this.context.logger);
  }

  /**
   * Dominant speaker (ActiveSpeakerObserver, every 300 ms) and who speaks (AudioLevelObserver),
   * pushed to the participants (and the dominant one to the recorders). Throws when the router
   * cannot make them (the call then works without speaker detection).
   */
  async observeSpeakers(): Promise<void> {
    this.activeSpeaker = await this.router.createActiveSpeakerObserver({ interval: 300 });
    this.audioLevels = await this.router.createAudioLevelObserver({
      maxEntries: 16,
      threshold: -60,
      interval: 800,
    });
    const userOf = (producer: types.Producer) => (producer.appData as { userId?: string }).userId ?? '';
    this.activeSpeaker.on('dominantspeaker', ({ producer }) => {
      const userId = userOf(producer);
      this.dominantUserId = userId;
      this.notifyTaps((listener) => listener.dominantSpeaker(userId));
      this.context.push(this.sockets(), 'webrtc.activeSpeaker', {
        callId: this.callId,
        userId,
        producerId: producer.id,
      });
    });
    const speaking = (speakers: { userId: string; volume: number }[]) =>
      this.context.push(this.sockets(), 'webrtc.speaking', { callId: this.callId, speakers });
    this.audioLevels.on('volumes', (volumes) =>
      speaking(volumes.map(({ producer, volume }) => ({ userId: userOf(producer), volume }))),
    );
    this.audioLevels.on('silence', () => speaking([]));
  }
}
