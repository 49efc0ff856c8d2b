import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SocketError } from '@parley/connector-sdk';
import {
  errorMessage,
  type MediaKind,
  type ParticipantMediaSummary,
  type SocketEventName,
  type SocketEvents,
  type WebrtcCandidateType,
  type WebrtcConsumerInfo,
  type WebrtcProducerEvent,
  type WebrtcTransportInfo,
} from '@parley/protocol';
import type { types } from 'mediasoup';
import { Subject } from 'rxjs';
import {
  WEBRTC_OPTIONS,
  type PlainTransportOptions,
  type RoomContext,
  type TransportDirection,
  type WebrtcModuleOptions,
  type WebrtcPush,
  type WorkerSlot,
} from './media/media-types';
import type { Peer } from './media/peer';
import { openRecordingTap } from './media/recording-tap';
import { Room } from './media/room';
import { muteUser, stopScreenShare } from './media/room-moderation';
import { objectStats, userStats, userSummary } from './media/room-stats';
import { WorkerPool, type WorkerProbe } from './media/worker-pool';
import { checkFfmpeg, DEFAULT_FFMPEG } from './recording/ffmpeg';
import { type Recording, startRecording } from './recording/recorder';
import { RecordingUnavailableError, type RecordingTap, type TapListener } from './recording/recording-types';
import { DEFAULT_RECORDING_MAX_MINUTES, type WebrtcSettings } from './settings';

// `bench/sfu` bundles this file alone and makes its bare router with the same codecs.
export { MEDIA_CODECS } from './media/media-types';

/**
 * mediasoup for the built-in connector, as a Nest service: the {@link WorkerPool}, the calls' rooms
 * (callId → {@link Room}, made on a call's first join on the least loaded worker, rebuilt when the
 * worker dies) and the gateway's and hooks' requests handed to the room or peer they are about.
 * Everything is in memory: no database.
 */
@Injectable()
export class MediasoupService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MediasoupService.name);
  private readonly pool: WorkerPool;
  private readonly rooms = new Map<string, Room>();
  private readonly pendingRooms = new Map<string, Promise<Room>>();
  private readonly subject = new Subject<WebrtcPush>();
  private readonly context: RoomContext = {
    push: (socketIds, event, data) => this.push(socketIds, event, data),
    logger: this.logger,
  };
  /** Pushes for the gateway to deliver. */
  readonly pushes$ = this.subject.asObservable();
  private recordingProblem: string | null = null;

  constructor(@Inject(WEBRTC_OPTIONS) private readonly options: WebrtcModuleOptions) {
    this.pool = new WorkerPool({
      workers: options.workers ?? 1,
      logLevel: options.logLevel ?? 'warn',
      rtcPort: options.rtcPort,
      announcedAddress: options.announcedAddress,
      onWorkerDied: (slot, restarted) => this.workerDied(slot, restarted),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.pool.start();
    // Tell the admin at start-up (not only the host at the first Record click) when recording cannot work.
    this.checkRecording().then(
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

  /** Every worker slot with its pid and resource usage, or why it has none (health, metrics). */
  probeWorkers(timeoutMs?: number): Promise<WorkerProbe[]> {
    return this.pool.probe(timeoutMs);
  }

  /** The participants' producers and consumers of every room here, by media kind (metrics). */
  mediaCounts(): { producers: Record<MediaKind, number>; consumers: Record<MediaKind, number> } {
    const producers: Record<MediaKind, number> = { audio: 0, video: 0 };
    const consumers: Record<MediaKind, number> = { audio: 0, video: 0 };
    for (const room of this.rooms.values()) {
      for (const peer of room.peers.values()) {
        for (const producer of peer.producers.values()) producers[producer.kind]++;
        for (const consumer of peer.consumers.values()) consumers[consumer.kind]++;
      }
    }
    return { producers, consumers };
  }

  /**
   * Resolves when recording can work here (ffmpeg with libvpx and libopus; cached once it does).
   * Its outcome is kept for {@link recordingUnavailable}.
   */
  checkRecording(): Promise<void> {
    const checking = checkFfmpeg(this.options.ffmpegPath ?? DEFAULT_FFMPEG);
    checking.then(
      () => (this.recordingProblem = null),
      (error: unknown) => (this.recordingProblem = errorMessage(error)),
    );
    return checking;
  }

  /** Why recording cannot work here, from the last ffmpeg check (null: it works, or no check has ended yet). */
  get recordingUnavailable(): string | null {
    return this.recordingProblem;
  }

  private push<E extends SocketEventName>(socketIds: string[], event: E, data: SocketEvents[E]): void {
    if (socketIds.length > 0) this.subject.next({ socketIds, event, data } as WebrtcPush);
  }

  // ---- rooms -----------------------------------------------------------------------------------

  /** The room of a call, created on first use on the least loaded worker. */
  async ensureRoom(callId: string, settings: WebrtcSettings): Promise<Room> {
    const existing = this.rooms.get(callId);
    if (existing && !existing.router.closed) return existing;
    const pending = this.pendingRooms.get(callId);
    if (pending) return pending;
    const creating = (async () => {
      const { slot, router } = await this.pool.createRouter(settings);
      const room = await Room.open(callId, slot, router, settings, this.context);
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

  private workerDied(slot: WorkerSlot, restarted: Promise<void>): void {
    const lost = [...this.rooms.values()].filter((room) => room.slot === slot);
    for (const room of lost) void this.resetRoom(room, restarted);
  }

  /**
   * The call's worker died (its router, and so everything in the room, already closed): a new room
   * (on the restarted worker or another one) with the same participants admitted, and
   * `webrtc.reset` to them so their clients rebuild transports.
   */
  private async resetRoom(room: Room, restarted: Promise<void>): Promise<void> {
    room.close('The media server of the call restarted');
    this.rooms.delete(room.callId);
    try {
      await restarted;
      const fresh = await this.ensureRoom(room.callId, room.settings);
      for (const [userId, old] of room.peers) fresh.admit(userId, old.socketIds);
      this.push(room.sockets(), 'webrtc.reset', {
        callId: room.callId,
        routerRtpCapabilities: fresh.rtpCapabilities(),
      });
      this.logger.warn(`call ${room.callId}: media moved to worker ${fresh.slot.index} after a worker death`);
    } catch (error) {
      this.logger.error(`call ${room.callId}: media could not be restored: ${errorMessage(error)}`);
    }
  }

  rtpCapabilitiesOf(callId: string): types.RtpCapabilities | null {
    return this.rooms.get(callId)?.router.rtpCapabilities ?? null;
  }

  hasRoom(callId: string): boolean {
    return this.rooms.has(callId);
  }

  /** A participant joined the call (hook): from now on their `webrtc.*` requests are accepted. */
  async join(callId: string, userId: string, settings: WebrtcSettings): Promise<void> {
    const room = await this.ensureRoom(callId, settings);
    room.settings = { ...settings };
    room.admit(userId);
  }

  /** A participant left (hook): close everything they had. */
  leave(callId: string, userId: string): void {
    this.rooms.get(callId)?.leave(userId);
  }

  /** The call ended (hook): close its room. */
  closeRoom(callId: string): void {
    this.rooms.get(callId)?.close('The call ended');
    this.rooms.delete(callId);
  }

  /** A tab went away: close the transports it created (the call itself lives on). */
  socketClosed(socketId: string): void {
    for (const room of this.rooms.values()) room.socketClosed(socketId);
  }

  // ---- authorization ---------------------------------------------------------------------------

  /** A joined participant of the call. */
  private member(callId: string, userId: string): { room: Room; peer: Peer } {
    const room = this.rooms.get(callId);
    if (!room) throw new SocketError('forbidden', 'Join the call first (call.answer or call.join)');
    return { room, peer: room.member(userId) };
  }

  /** The room and peer of `userId` that own a transport, producer or consumer (`not_found` else). */
  private owner(userId: string, id: string, what: string): { room: Room; peer: Peer } {
    for (const room of this.rooms.values()) {
      const peer = room.peers.get(userId);
      if (peer?.owns(id)) return { room, peer };
    }
    throw new SocketError('not_found', `Unknown ${what} ${id}`);
  }

  // ---- signalling (the gateway's `webrtc.*`) ---------------------------------------------------

  async createTransport(
    callId: string,
    userId: string,
    socketId: string,
    direction: TransportDirection,
  ): Promise<WebrtcTransportInfo> {
    const { room, peer } = this.member(callId, userId);
    return room.createWebRtcTransport(peer, socketId, direction);
  }

  /**
   * Server-side media (recording, load benchmarks such as `bench/sfu`): a PlainTransport for a
   * participant who joined the call. `produce`, `consume`, pause/resume and leave work on it as on a
   * WebRTC transport; no socket event creates one (clients only ever get WebRTC transports).
   */
  async createPlainTransport(
    callId: string,
    userId: string,
    direction: TransportDirection,
    options: PlainTransportOptions = {},
  ): Promise<types.PlainTransport> {
    const { room, peer } = this.member(callId, userId);
    return room.createPlainTransport(peer, direction, options);
  }

  async connectTransport(userId: string, transportId: string, dtlsParameters: unknown): Promise<void> {
    await this.owner(userId, transportId, 'transport').peer.connect(transportId, dtlsParameters);
  }

  async restartIce(userId: string, transportId: string): Promise<types.IceParameters> {
    return this.owner(userId, transportId, 'transport').peer.restartIce(transportId);
  }

  async produce(
    userId: string,
    transportId: string,
    kind: MediaKind,
    rtpParameters: unknown,
    appData: Record<string, unknown>,
  ): Promise<string> {
    const { room, peer } = this.owner(userId, transportId, 'transport');
    return room.produce(peer, transportId, kind, rtpParameters, appData);
  }

  /** The other participants' producers, to consume on join. */
  listProducers(callId: string, userId: string): WebrtcProducerEvent[] {
    return this.member(callId, userId).room.producersFor(userId);
  }

  async setProducerPaused(userId: string, producerId: string, paused: boolean): Promise<void> {
    const { room, peer } = this.owner(userId, producerId, 'producer');
    await room.setProducerPaused(peer, producerId, paused);
  }

  closeProducer(userId: string, producerId: string): void {
    this.owner(userId, producerId, 'producer').peer.producer(producerId).close();
  }

  async consume(
    callId: string,
    userId: string,
    producerId: string,
    rtpCapabilities: unknown,
    socketId = '',
  ): Promise<WebrtcConsumerInfo> {
    const { room, peer } = this.member(callId, userId);
    return room.consume(peer, producerId, rtpCapabilities, socketId);
  }

  async setConsumerPaused(userId: string, consumerId: string, paused: boolean): Promise<void> {
    await this.owner(userId, consumerId, 'consumer').peer.setConsumerPaused(consumerId, paused);
  }

  /** Simulcast/SVC layers a receiver wants (e.g. by tile size). */
  async setPreferredLayers(
    userId: string,
    consumerId: string,
    spatialLayer: number,
    temporalLayer?: number,
  ): Promise<void> {
    const { peer } = this.owner(userId, consumerId, 'consumer');
    await peer.setPreferredLayers(consumerId, spatialLayer, temporalLayer);
  }

  /** `getStats()` of one of the user's transports, producers or consumers. */
  async stats(userId: string, id: string): Promise<Record<string, unknown>[]> {
    const what = 'transport, producer or consumer';
    const stats = await objectStats(this.owner(userId, id, what).peer, id);
    if (!stats) throw new SocketError('not_found', `Unknown ${what} ${id}`);
    return stats;
  }

  /** What the browser says its transport's selected candidate is (kept in its appData). */
  setCandidateType(userId: string, transportId: string, candidateType: WebrtcCandidateType): void {
    const entry = this.owner(userId, transportId, 'transport').peer.transports.get(transportId);
    if (!entry) throw new SocketError('not_found', `Unknown transport ${transportId}`);
    entry.transport.appData['candidateType'] = candidateType;
  }

  // ---- host actions and /call stats (the calls library, through the app's media bridge) --------

  /** Host mute: pause the user's microphone producers; the others get `webrtc.producer.paused`. */
  async muteUser(callId: string, userId: string): Promise<void> {
    const room = this.rooms.get(callId);
    if (room) await muteUser(room, userId);
  }

  /** Host stops a screen share: close the user's `screen` producers. */
  stopScreenShare(callId: string, userId: string): void {
    const room = this.rooms.get(callId);
    if (room) stopScreenShare(room, userId);
  }

  /** `/call stats`: every transport, producer and consumer of the user in the call, with stats. */
  async userStats(callId: string, userId: string): Promise<Record<string, unknown>> {
    const { room, peer } = this.member(callId, userId);
    return userStats(room, peer);
  }

  /** The admins' Calls tab: the user's bitrates, loss and relay or direct in the call. */
  async userSummary(callId: string, userId: string): Promise<ParticipantMediaSummary> {
    return userSummary(this.member(callId, userId).peer);
  }

  // ---- recording -------------------------------------------------------------------------------

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
}
