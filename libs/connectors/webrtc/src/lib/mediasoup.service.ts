import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type {
  MediaKind,
  SocketEventName,
  SocketEvents,
  WebrtcConsumerInfo,
  WebrtcProducerEvent,
  WebrtcTransportInfo,
} from '@parley/protocol';
import type { types } from 'mediasoup';
import { Subject } from 'rxjs';
import { SocketError } from '@parley/connector-sdk';
import { errorMessage } from '@parley/protocol';
import { checkFfmpeg, DEFAULT_FFMPEG } from './recording/ffmpeg';
import { type Recording, startRecording } from './recording/recorder';
import { RecordingUnavailableError, type RecordingTap, type TapListener } from './recording/recording-types';
import { DEFAULT_RECORDING_MAX_MINUTES, type WebrtcSettings } from './settings';
import {
  WEBRTC_OPTIONS,
  type Owner,
  type WebrtcModuleOptions,
  type WebrtcPush,
  type WorkerSlot,
} from './media/media-types';
import { closeTaps, notifyTaps, openRecordingTap, tapProducer } from './media/recording-tap';
import type { Peer } from './media/peer';
import { Room } from './media/room';
import { WorkerPool } from './media/worker-pool';

/**
 * mediasoup for the built-in connector: one worker per core (restarted if one dies), a WebRtcServer
 * per worker on the configured port, a router per call created on the call's first join, and the
 * transports/producers/consumers of each joined participant. Everything is in memory: no database.
 */
@Injectable()
export class MediasoupService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MediasoupService.name);
  private readonly pool: WorkerPool;
  private readonly rooms = new Map<string, Room>();
  private readonly pendingRooms = new Map<string, Promise<Room>>();
  private readonly transports = new Map<string, Owner>();
  private readonly producers = new Map<string, Owner>();
  private readonly consumers = new Map<string, Owner>();
  private readonly subject = new Subject<WebrtcPush>();
  /** Pushes for the gateway to deliver. */
  readonly pushes$ = this.subject.asObservable();

  constructor(@Inject(WEBRTC_OPTIONS) private readonly options: WebrtcModuleOptions) {
    this.pool = new WorkerPool({
      workers: options.workers ?? 1,
      logLevel: options.logLevel ?? 'warn',
      rtcPort: options.rtcPort,
      onWorkerDied: (slot, restarted) => this.workerDied(slot, restarted),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.pool.start();
    // Tell the admin at start-up (not only the host at the first Record click) when recording cannot work.
    checkFfmpeg(this.options.ffmpegPath ?? DEFAULT_FFMPEG).then(
      () => this.logger.log('call recording available (ffmpeg with libvpx and libopus)'),
      (error: unknown) => this.logger.warn(`call recording unavailable: ${errorMessage(error)}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.pool.close();
    this.rooms.clear();
  }

  get workerCount(): number {
    return this.pool.workerCount;
  }

  /** Pids of the live workers (tests, health). */
  workerPids(): number[] {
    return this.pool.pids();
  }

  private workerDied(slot: WorkerSlot, restarted: Promise<void>): void {
    const lost = [...this.rooms.values()].filter((room) => room.slot === slot);
    for (const room of lost) void this.resetRoom(room, restarted);
  }

  /**
   * The call's worker died: a new router (on the restarted worker or another one) with the same
   * participants admitted, and `webrtc.reset` to them so their clients rebuild transports.
   */
  private async resetRoom(room: Room, restarted: Promise<void>): Promise<void> {
    closeTaps(room, 'The media server of the call restarted', this.logger);
    const sockets = room.sockets();
    for (const peer of room.peers.values()) this.forgetPeer(room, peer);
    this.rooms.delete(room.callId);
    try {
      await restarted;
      const fresh = await this.ensureRoom(room.callId, room.settings);
      for (const [userId, old] of room.peers) fresh.admit(userId, old.socketIds);
      this.push(sockets, 'webrtc.reset', {
        callId: room.callId,
        routerRtpCapabilities: JSON.parse(JSON.stringify(fresh.router.rtpCapabilities)) as Record<
          string,
          unknown
        >,
      });
      this.logger.warn(`call ${room.callId}: media moved to worker ${fresh.slot.index} after a worker death`);
    } catch (error) {
      this.logger.error(`call ${room.callId}: media could not be restored: ${errorMessage(error)}`);
    }
  }

  /** The router of a call, created on first use on the least loaded worker. */
  async ensureRoom(callId: string, settings: WebrtcSettings): Promise<Room> {
    const existing = this.rooms.get(callId);
    if (existing && !existing.router.closed) return existing;
    const pending = this.pendingRooms.get(callId);
    if (pending) return pending;
    const creating = (async () => {
      const { slot, router } = await this.pool.createRouter(settings);
      const room = new Room(callId, slot, router, settings);
      await this.observeSpeakers(room);
      this.rooms.set(callId, room);
      return room;
    })();
    this.pendingRooms.set(callId, creating);
    try {
      return await creating;
    } finally {
      this.pendingRooms.delete(callId);
    }
  }

  /** Dominant speaker and who speaks, pushed to the peers (and the dominant one to the recorders). */
  private async observeSpeakers(room: Room): Promise<void> {
    try {
      await room.observeSpeakers({
        dominant: (userId, producerId) => {
          notifyTaps(room, (listener) => listener.dominantSpeaker(userId), this.logger);
          this.push(room.sockets(), 'webrtc.activeSpeaker', { callId: room.callId, userId, producerId });
        },
        speaking: (speakers) =>
          this.push(room.sockets(), 'webrtc.speaking', { callId: room.callId, speakers }),
      });
    } catch (error) {
      this.logger.warn(`speaker detection unavailable for call ${room.callId}: ${errorMessage(error)}`);
    }
  }

  rtpCapabilitiesOf(callId: string): types.RtpCapabilities | null {
    return this.rooms.get(callId)?.router.rtpCapabilities ?? null;
  }

  /** A participant joined the call (hook): from now on their `webrtc.*` requests are accepted. */
  async join(callId: string, userId: string, settings: WebrtcSettings): Promise<void> {
    const room = await this.ensureRoom(callId, settings);
    room.settings = { ...settings };
    room.admit(userId);
  }

  /** A participant left (hook): close everything they had. */
  leave(callId: string, userId: string): void {
    const room = this.rooms.get(callId);
    const peer = room?.peers.get(userId);
    if (!room || !peer) return;
    for (const { transport } of peer.transports.values()) transport.close();
    this.forgetPeer(room, peer);
    room.peers.delete(userId);
  }

  /** The call ended (hook): close its router. */
  closeRoom(callId: string): void {
    const room = this.rooms.get(callId);
    if (!room) return;
    closeTaps(room, 'The call ended', this.logger);
    for (const peer of room.peers.values()) this.forgetPeer(room, peer);
    room.router.close();
    this.rooms.delete(callId);
  }

  hasRoom(callId: string): boolean {
    return this.rooms.has(callId);
  }

  /** A tab went away: close the transports it created (the call itself lives on). */
  socketClosed(socketId: string): void {
    for (const room of this.rooms.values()) {
      for (const peer of room.peers.values()) {
        peer.socketIds.delete(socketId);
        for (const [id, entry] of peer.transports) {
          if (entry.socketId === socketId) {
            entry.transport.close();
            this.dropTransport(room, peer, id);
          }
        }
      }
    }
  }

  private forgetPeer(room: Room, peer: Peer): void {
    for (const id of [...peer.transports.keys()]) this.dropTransport(room, peer, id);
  }

  private dropTransport(room: Room, peer: Peer, transportId: string): void {
    peer.transports.delete(transportId);
    this.transports.delete(transportId);
    for (const [id, producer] of peer.producers) {
      if (producer.closed) this.producerGone(room, peer, id);
    }
    for (const [id, consumer] of peer.consumers) {
      if (consumer.closed) {
        peer.consumers.delete(id);
        this.consumers.delete(id);
      }
    }
  }

  private producerGone(room: Room, peer: Peer, producerId: string): void {
    if (!peer.producers.delete(producerId)) return;
    this.producers.delete(producerId);
    notifyTaps(room, (listener) => listener.producerClosed(producerId), this.logger);
    this.push(room.otherSockets(peer.userId), 'webrtc.producer.closed', {
      callId: room.callId,
      producerId,
      userId: peer.userId,
    });
  }

  // ---- authorization -------------------------------------------------------------------------

  private peer(callId: string, userId: string): { room: Room; peer: Peer } {
    const room = this.rooms.get(callId);
    const peer = room?.peers.get(userId);
    if (!room || !peer) throw new SocketError('forbidden', 'Join the call first (call.answer or call.join)');
    return { room, peer };
  }

  private owned(
    index: Map<string, Owner>,
    id: string,
    userId: string,
    what: string,
  ): { room: Room; peer: Peer } {
    const owner = index.get(id);
    if (!owner || owner.userId !== userId) throw new SocketError('not_found', `Unknown ${what} ${id}`);
    return this.peer(owner.callId, userId);
  }

  private push<E extends SocketEventName>(socketIds: string[], event: E, data: SocketEvents[E]): void {
    if (socketIds.length > 0) this.subject.next({ socketIds, event, data } as WebrtcPush);
  }

  // ---- signaling -----------------------------------------------------------------------------

  async createTransport(
    callId: string,
    userId: string,
    socketId: string,
    direction: 'send' | 'recv',
  ): Promise<WebrtcTransportInfo> {
    const { room, peer } = this.peer(callId, userId);
    const maxBitrate = room.settings.maxBitrate;
    const webRtcServer = room.slot.webRtcServer;
    if (!webRtcServer || webRtcServer.closed) throw new SocketError('internal', 'media server unavailable');
    const transport = await room.router.createWebRtcTransport({
      webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: Math.min(maxBitrate, 1_000_000),
      appData: { userId, direction },
    });
    if (direction === 'send') await transport.setMaxIncomingBitrate(maxBitrate).catch(() => undefined);
    peer.transports.set(transport.id, { transport, socketId });
    peer.socketIds.add(socketId);
    this.transports.set(transport.id, { callId, userId });
    transport.observer.once('close', () => {
      if (room.peers.get(userId) === peer && peer.transports.has(transport.id)) {
        this.dropTransport(room, peer, transport.id);
      }
    });
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
   * over UDP, no ICE/DTLS; SRTP if asked) for a participant who joined the call. It is registered like
   * a WebRTC transport, so `produce`, `consume`, pause/resume and leave work on it unchanged; no
   * socket event creates one (clients only ever get WebRTC transports).
   */
  async createPlainTransport(
    callId: string,
    userId: string,
    direction: 'send' | 'recv',
    options: { listenIp?: string; comedia?: boolean; enableSrtp?: boolean } = {},
  ): Promise<types.PlainTransport> {
    const { room, peer } = this.peer(callId, userId);
    const transport = await room.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: options.listenIp ?? '127.0.0.1' },
      rtcpMux: true,
      comedia: options.comedia ?? direction === 'send',
      enableSrtp: options.enableSrtp ?? false,
      appData: { userId, direction },
    });
    peer.transports.set(transport.id, { transport, socketId: '' });
    this.transports.set(transport.id, { callId, userId });
    transport.observer.once('close', () => {
      if (room.peers.get(userId) === peer && peer.transports.has(transport.id)) {
        this.dropTransport(room, peer, transport.id);
      }
    });
    return transport;
  }

  async connectTransport(userId: string, transportId: string, dtlsParameters: unknown): Promise<void> {
    const { peer } = this.owned(this.transports, transportId, userId, 'transport');
    const transport = peer.webrtcTransport(transportId);
    await this.mediasoup('dtlsParameters', () =>
      transport.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters }),
    );
  }

  async restartIce(userId: string, transportId: string): Promise<types.IceParameters> {
    const { peer } = this.owned(this.transports, transportId, userId, 'transport');
    return { ...(await peer.webrtcTransport(transportId).restartIce()) };
  }

  async produce(
    userId: string,
    transportId: string,
    kind: MediaKind,
    rtpParameters: unknown,
    appData: Record<string, unknown>,
  ): Promise<string> {
    const { room, peer } = this.owned(this.transports, transportId, userId, 'transport');
    const transport = peer.transport(transportId);
    if ((transport.appData as { direction?: string }).direction !== 'send') {
      throw new SocketError('bad_request', 'Produce on a send transport');
    }
    if (appData['source'] === 'screen' && room.settings.screenShareAllowed === false) {
      throw new SocketError('forbidden', 'Screen sharing is turned off by the administrators');
    }
    const producer = await this.mediasoup('rtpParameters', () =>
      transport.produce({
        kind,
        rtpParameters: rtpParameters as types.RtpParameters,
        appData: { ...appData, userId },
      }),
    );
    if (kind === 'audio' && appData['source'] !== 'screen') {
      await room.activeSpeaker?.addProducer({ producerId: producer.id }).catch(() => undefined);
      await room.audioLevels?.addProducer({ producerId: producer.id }).catch(() => undefined);
    }
    peer.producers.set(producer.id, producer);
    this.producers.set(producer.id, { callId: room.callId, userId });
    producer.observer.once('close', () => this.producerGone(room, peer, producer.id));
    notifyTaps(room, (listener) => listener.producerAdded(tapProducer(peer.userId, producer)), this.logger);
    this.push(room.otherSockets(userId), 'webrtc.producer.new', this.producerEvent(room, peer, producer));
    return producer.id;
  }

  private producerEvent(room: Room, peer: Peer, producer: types.Producer): WebrtcProducerEvent {
    return {
      callId: room.callId,
      producerId: producer.id,
      userId: peer.userId,
      kind: producer.kind,
      appData: { ...producer.appData },
      paused: producer.paused,
    };
  }

  /** The other participants' producers, to consume on join. */
  listProducers(callId: string, userId: string): WebrtcProducerEvent[] {
    const { room } = this.peer(callId, userId);
    return [...room.peers.values()]
      .filter((p) => p.userId !== userId)
      .flatMap((p) => [...p.producers.values()].map((producer) => this.producerEvent(room, p, producer)));
  }

  async setProducerPaused(userId: string, producerId: string, paused: boolean): Promise<void> {
    const { room, peer } = this.owned(this.producers, producerId, userId, 'producer');
    const producer = peer.producers.get(producerId);
    if (!producer) throw new SocketError('not_found', `Unknown producer ${producerId}`);
    if (paused) await producer.pause();
    else await producer.resume();
    notifyTaps(room, (listener) => listener.producerPaused(producerId, paused), this.logger);
    this.push(room.otherSockets(userId), paused ? 'webrtc.producer.paused' : 'webrtc.producer.resumed', {
      callId: room.callId,
      producerId,
      userId,
    });
  }

  closeProducer(userId: string, producerId: string): void {
    const { peer } = this.owned(this.producers, producerId, userId, 'producer');
    peer.producers.get(producerId)?.close();
  }

  async consume(
    callId: string,
    userId: string,
    producerId: string,
    rtpCapabilities: unknown,
  ): Promise<WebrtcConsumerInfo> {
    const { room, peer } = this.peer(callId, userId);
    const owner = this.producers.get(producerId);
    if (!owner || owner.callId !== callId)
      throw new SocketError('not_found', `Unknown producer ${producerId}`);
    if (owner.userId === userId) throw new SocketError('bad_request', 'Do not consume your own producer');
    const caps = rtpCapabilities as types.RtpCapabilities;
    let canConsume: boolean;
    try {
      canConsume = room.router.canConsume({ producerId, rtpCapabilities: caps });
    } catch (error) {
      throw new SocketError('bad_request', `Invalid rtpCapabilities: ${errorMessage(error)}`);
    }
    if (!canConsume)
      throw new SocketError('bad_request', 'These rtpCapabilities cannot receive this producer');
    const recv = [...peer.transports.values()].find(
      (entry) =>
        !entry.transport.closed && (entry.transport.appData as { direction?: string }).direction === 'recv',
    );
    if (!recv) throw new SocketError('bad_request', 'Create a recv transport first');
    const consumer = await this.mediasoup('rtpCapabilities', () =>
      recv.transport.consume({ producerId, rtpCapabilities: caps, paused: true }),
    );
    peer.consumers.set(consumer.id, consumer);
    this.consumers.set(consumer.id, { callId, userId });
    consumer.on('producerclose', () => {
      peer.consumers.delete(consumer.id);
      this.consumers.delete(consumer.id);
      this.push(peer.sockets(), 'webrtc.consumer.closed', {
        callId,
        consumerId: consumer.id,
        producerId,
      });
    });
    consumer.observer.once('close', () => {
      peer.consumers.delete(consumer.id);
      this.consumers.delete(consumer.id);
    });
    const producerAppData = room.peers.get(owner.userId)?.producers.get(producerId)?.appData ?? {};
    return {
      id: consumer.id,
      producerId,
      kind: consumer.kind,
      rtpParameters: { ...consumer.rtpParameters },
      userId: owner.userId,
      appData: { ...producerAppData },
      producerPaused: consumer.producerPaused,
    };
  }

  /** Simulcast/SVC layers a receiver wants (e.g. by tile size). */
  async setPreferredLayers(
    userId: string,
    consumerId: string,
    spatialLayer: number,
    temporalLayer?: number,
  ): Promise<void> {
    const { peer } = this.owned(this.consumers, consumerId, userId, 'consumer');
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new SocketError('not_found', `Unknown consumer ${consumerId}`);
    if (consumer.kind !== 'video') throw new SocketError('bad_request', 'Layers apply to video consumers');
    await consumer.setPreferredLayers({
      spatialLayer,
      ...(temporalLayer === undefined ? {} : { temporalLayer }),
    });
  }

  // ---- recording ---------------------------------------------------------------------------

  /**
   * Records the call into one WebM file (see docs/recording.md). Rejects with
   * {@link RecordingUnavailableError} when it cannot start (no media for the call here, ffmpeg
   * missing, disk full). `maxDurationMs` comes from the provider setting `recordingMaxMinutes`.
   */
  async record(options: {
    callId: string;
    filePath: string;
    onFailure(message: string): void;
  }): Promise<Recording> {
    const room = this.rooms.get(options.callId);
    if (!room || room.router.closed) {
      throw new RecordingUnavailableError(
        'The call has no media on this server yet (nobody is connected with the built-in WebRTC provider).',
      );
    }
    const minutes = room.settings.recordingMaxMinutes || DEFAULT_RECORDING_MAX_MINUTES;
    return startRecording({
      ...this.options.recording,
      openTap: (listener) => this.recordingTap(options.callId, listener),
      filePath: options.filePath,
      ffmpegPath: this.options.ffmpegPath,
      maxDurationMs: minutes * 60_000,
      onFailure: options.onFailure,
    });
  }

  /**
   * The call's media for a recorder, which is not a participant: its producers, their changes and
   * the dominant speaker go to `listener`; `consume` makes a PlainTransport + consumer sending plain
   * RTP to a local port. Closing the tap (or the room: call end, worker death, with
   * `listener.closed`) closes all it made.
   */
  recordingTap(callId: string, listener: TapListener): RecordingTap {
    const room = this.rooms.get(callId);
    if (!room || room.router.closed)
      throw new RecordingUnavailableError(`The call ${callId} has no media here`);
    return openRecordingTap(room, listener, () => this.rooms.get(callId) === room);
  }

  // ---- host actions (called by the call service through the app's media bridge) -------------

  /** Host mute: pause the user's microphone producers; the others get `webrtc.producer.paused`. */
  async muteUser(callId: string, userId: string): Promise<void> {
    const peer = this.rooms.get(callId)?.peers.get(userId);
    for (const producer of peer?.producers.values() ?? []) {
      const source = (producer.appData as { source?: string }).source;
      if (producer.kind === 'audio' && source !== 'screen' && !producer.paused) {
        await this.setProducerPaused(userId, producer.id, true);
      }
    }
  }

  /** Host stops a screen share: close the user's `screen` producers. */
  stopScreenShare(callId: string, userId: string): void {
    const peer = this.rooms.get(callId)?.peers.get(userId);
    for (const producer of [...(peer?.producers.values() ?? [])]) {
      if ((producer.appData as { source?: string }).source === 'screen') producer.close();
    }
  }

  /** `/call stats`: every transport, producer and consumer of the user in the call, with stats. */
  async userStats(callId: string, userId: string): Promise<Record<string, unknown>> {
    const { room, peer } = this.peer(callId, userId);
    const list = async <T extends { id: string; getStats(): Promise<unknown[]> }>(
      items: Iterable<T>,
      extra: (item: T) => Record<string, unknown>,
    ) =>
      Promise.all(
        [...items].map(async (item) => ({ id: item.id, ...extra(item), stats: await item.getStats() })),
      );
    return {
      callId,
      userId,
      worker: { index: room.slot.index, pid: room.slot.worker?.pid ?? null },
      transports: await list(
        [...peer.transports.values()].map((entry) => entry.transport),
        (t) => ({
          direction: (t.appData as { direction?: string }).direction,
          iceState: t.type === 'webrtc' ? t.iceState : null,
        }),
      ),
      producers: await list(peer.producers.values(), (p) => ({
        kind: p.kind,
        source: (p.appData as { source?: string }).source ?? null,
        paused: p.paused,
      })),
      consumers: await list(peer.consumers.values(), (c) => ({
        kind: c.kind,
        producerId: c.producerId,
        paused: c.paused,
      })),
    };
  }

  async setConsumerPaused(userId: string, consumerId: string, paused: boolean): Promise<void> {
    const { peer } = this.owned(this.consumers, consumerId, userId, 'consumer');
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new SocketError('not_found', `Unknown consumer ${consumerId}`);
    if (paused) await consumer.pause();
    else await consumer.resume();
  }

  /** `getStats()` of one of the user's transports, producers or consumers. */
  async stats(userId: string, id: string): Promise<Record<string, unknown>[]> {
    for (const [index, what] of [
      [this.transports, 'transport'],
      [this.producers, 'producer'],
      [this.consumers, 'consumer'],
    ] as const) {
      const owner = index.get(id);
      if (owner?.userId !== userId) continue;
      const { peer } = this.peer(owner.callId, userId);
      const target =
        what === 'transport'
          ? peer.transports.get(id)?.transport
          : what === 'producer'
            ? peer.producers.get(id)
            : peer.consumers.get(id);
      if (target) return (await target.getStats()).map((entry) => ({ ...entry }));
    }
    throw new SocketError('not_found', `Unknown transport, producer or consumer ${id}`);
  }

  /** Runs a mediasoup call whose failure means the client sent bad parameters. */
  private async mediasoup<T>(field: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof TypeError || (error as Error)?.name === 'TypeError') {
        throw new SocketError('bad_request', `Invalid ${field}: ${errorMessage(error)}`);
      }
      throw new SocketError('bad_request', `${field} refused: ${errorMessage(error)}`);
    }
  }
}
