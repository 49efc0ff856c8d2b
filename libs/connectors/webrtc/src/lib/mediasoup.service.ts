import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type {
  MediaKind,
  SocketEventName,
  SocketEvents,
  WebrtcConsumerInfo,
  WebrtcProducerEvent,
  WebrtcTransportInfo,
} from '@parley/protocol';
import { createWorker, types } from 'mediasoup';
import { networkInterfaces } from 'node:os';
import { Subject } from 'rxjs';
import { SocketError } from '@parley/connector-sdk';
import { errorMessage } from '@parley/protocol';
import { checkFfmpeg, DEFAULT_FFMPEG } from './recording/ffmpeg';
import { type RecorderOptions, type Recording, startRecording } from './recording/recorder';
import {
  RecordingUnavailableError,
  type RecordingTap,
  type TapConsumer,
  type TapListener,
  type TapProducer,
} from './recording/recording-types';
import { DEFAULT_RECORDING_MAX_MINUTES, type WebrtcSettings } from './settings';

/** Options of the built-in connector's module (from the app configuration). */
export interface WebrtcModuleOptions {
  /** Number of mediasoup workers (default: one per core). */
  workers?: number;
  /** mediasoup worker log level (default `warn`). */
  logLevel?: types.WorkerLogLevel;
  /** Absolute path of the bundled client half (default `<cwd>/dist/connectors/webrtc/client.js`). */
  clientModulePath?: string;
  /** ffmpeg used to record calls (default `ffmpeg` on PATH; ffprobe is taken next to it). */
  ffmpegPath?: string;
  /** This server's media port, overriding the `rtcPort` setting (WEBRTC_RTC_PORT; 0 = free ports). */
  rtcPort?: number;
  /** Recorder tuning (tests): audio slots, free-space threshold and its check period. */
  recording?: Pick<RecorderOptions, 'audioSlots' | 'minFreeBytes' | 'diskCheckMs'>;
}

/** What the recorder consumes: Opus and VP8 only, no RTX, key frames on request. */
const RECORDING_RTP_CAPABILITIES: types.RtpCapabilities = {
  codecs: [
    { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
    {
      kind: 'video',
      mimeType: 'video/VP8',
      clockRate: 90000,
      preferredPayloadType: 101,
      rtcpFeedback: [
        { type: 'nack', parameter: 'pli' },
        { type: 'ccm', parameter: 'fir' },
      ],
    },
  ],
  headerExtensions: [],
};

/** A recording tap of a room (see MediasoupService.recordingTap). */
interface TapEntry {
  listener: TapListener;
  transports: Set<types.PlainTransport>;
  closed: boolean;
}

export const WEBRTC_OPTIONS = 'parley:webrtc:options';

/** Codecs of every router: opus, VP8 (simulcast-ready), H264 baseline/constrained baseline, VP9. */
export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '4d0032', 'level-asymmetry-allowed': 1 },
  },
  { kind: 'video', mimeType: 'video/VP9', clockRate: 90000, parameters: { 'profile-id': 2 } },
];

/** A push to some sockets. */
export interface WebrtcPush<E extends SocketEventName = SocketEventName> {
  socketIds: string[];
  event: E;
  data: SocketEvents[E];
}

interface WorkerSlot {
  index: number;
  worker: types.Worker | null;
  webRtcServer: types.WebRtcServer | null;
  /** Settings the WebRtcServer was made with. */
  serverKey: string | null;
  routers: number;
}

/** A participant's transport: WebRTC (browsers) or plain RTP (server-side tools, see createPlainTransport). */
type PeerTransport = types.WebRtcTransport | types.PlainTransport;

interface Peer {
  userId: string;
  /** `socketId` is empty for server-side plain transports (no tab owns them). */
  transports: Map<string, { transport: PeerTransport; socketId: string }>;
  producers: Map<string, types.Producer>;
  consumers: Map<string, types.Consumer>;
  /** Tabs that made transports here (pushes go to them; kept across a worker restart). */
  socketIds: Set<string>;
}

interface Room {
  callId: string;
  slot: WorkerSlot;
  router: types.Router;
  activeSpeaker: types.ActiveSpeakerObserver | null;
  audioLevels: types.AudioLevelObserver | null;
  peers: Map<string, Peer>;
  /** Provider settings when the router was created. */
  settings: WebrtcSettings;
  /** Recorders watching the call (not participants: never listed, never pushed to). */
  taps: Set<TapEntry>;
  /** User id of the last dominant speaker. */
  dominantUserId: string | null;
}

/** Where an id lives (for authorization and lookup). */
interface Owner {
  callId: string;
  userId: string;
}

const ROUTER_OPTIONS: types.RouterOptions = { mediaCodecs: MEDIA_CODECS };

/** The address browsers are told to reach when no ICE host override is set. */
export function detectAnnouncedAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}

/**
 * mediasoup for the built-in connector: one worker per core (restarted if one dies), a WebRtcServer
 * per worker on the configured port, a router per call created on the call's first join, and the
 * transports/producers/consumers of each joined participant. Everything is in memory: no database.
 */
@Injectable()
export class MediasoupService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MediasoupService.name);
  private readonly slots: WorkerSlot[] = [];
  private readonly rooms = new Map<string, Room>();
  private readonly pendingRooms = new Map<string, Promise<Room>>();
  private readonly transports = new Map<string, Owner>();
  private readonly producers = new Map<string, Owner>();
  private readonly consumers = new Map<string, Owner>();
  private closing = false;
  private ready: Promise<void> | null = null;
  private readonly subject = new Subject<WebrtcPush>();
  /** Pushes for the gateway to deliver. */
  readonly pushes$ = this.subject.asObservable();

  constructor(@Inject(WEBRTC_OPTIONS) private readonly options: WebrtcModuleOptions) {}

  async onModuleInit(): Promise<void> {
    const count = Math.max(1, this.options.workers ?? 1);
    for (let index = 0; index < count; index++) {
      this.slots.push({ index, worker: null, webRtcServer: null, serverKey: null, routers: 0 });
    }
    this.ready = Promise.all(this.slots.map((slot) => this.startWorker(slot))).then(() => undefined);
    await this.ready;
    // Tell the admin at start-up (not only the host at the first Record click) when recording cannot work.
    checkFfmpeg(this.options.ffmpegPath ?? DEFAULT_FFMPEG).then(
      () => this.logger.log('call recording available (ffmpeg with libvpx and libopus)'),
      (error: unknown) => this.logger.warn(`call recording unavailable: ${errorMessage(error)}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    for (const slot of this.slots) slot.worker?.close();
    this.rooms.clear();
  }

  get workerCount(): number {
    return this.slots.filter((slot) => slot.worker && !slot.worker.closed).length;
  }

  /** Pids of the live workers (tests, health). */
  workerPids(): number[] {
    return this.slots.flatMap((slot) => (slot.worker && !slot.worker.closed ? [slot.worker.pid] : []));
  }

  private async startWorker(slot: WorkerSlot): Promise<void> {
    try {
      const worker = await createWorker({ logLevel: this.options.logLevel ?? 'warn' });
      slot.worker = worker;
      slot.webRtcServer = null;
      slot.serverKey = null;
      slot.routers = 0;
      worker.on('died', (error) => {
        this.logger.error(`mediasoup worker ${worker.pid} died (${errorMessage(error)}); restarting it`);
        const lost = [...this.rooms.values()].filter((room) => room.slot === slot);
        slot.worker = null;
        slot.webRtcServer = null;
        slot.routers = 0;
        if (this.closing) return;
        const restarted = this.startWorker(slot);
        for (const room of lost) void this.resetRoom(room, restarted);
      });
      this.logger.log(`mediasoup worker ${slot.index} started (pid ${worker.pid})`);
    } catch (error) {
      this.logger.error(`mediasoup worker ${slot.index} could not start: ${errorMessage(error)}`);
    }
  }

  /**
   * The call's worker died: a new router (on the restarted worker or another one) with the same
   * participants admitted, and `webrtc.reset` to them so their clients rebuild transports.
   */
  private async resetRoom(room: Room, restarted: Promise<void>): Promise<void> {
    this.closeTaps(room, 'The media server of the call restarted');
    const sockets = [...room.peers.values()].flatMap((peer) => this.sockets(peer));
    for (const peer of room.peers.values()) this.forgetPeer(room, peer);
    this.rooms.delete(room.callId);
    try {
      await restarted;
      const fresh = await this.ensureRoom(room.callId, room.settings);
      for (const [userId, old] of room.peers) {
        fresh.peers.set(userId, {
          userId,
          transports: new Map(),
          producers: new Map(),
          consumers: new Map(),
          socketIds: new Set(old.socketIds),
        });
      }
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

  private async webRtcServerOf(slot: WorkerSlot, settings: WebrtcSettings): Promise<types.WebRtcServer> {
    const worker = slot.worker as types.Worker;
    const announced =
      settings.announcedAddress || (settings.listenIp === '0.0.0.0' ? detectAnnouncedAddress() : '');
    const base = this.options.rtcPort ?? settings.rtcPort;
    const port = base > 0 ? base + slot.index : undefined;
    const key = JSON.stringify([settings.listenIp, announced, port]);
    if (slot.webRtcServer && !slot.webRtcServer.closed) {
      // New settings apply once the worker hosts no call (never under a live call).
      if (slot.serverKey === key || slot.routers > 0) return slot.webRtcServer;
      slot.webRtcServer.close();
    }
    const listen = (protocol: 'udp' | 'tcp'): types.TransportListenInfo => ({
      protocol,
      ip: settings.listenIp,
      ...(announced ? { announcedAddress: announced } : {}),
      ...(port ? { port } : {}),
    });
    slot.webRtcServer = await worker.createWebRtcServer({ listenInfos: [listen('udp'), listen('tcp')] });
    slot.serverKey = key;
    return slot.webRtcServer;
  }

  /** The router of a call, created on first use on the least loaded worker. */
  async ensureRoom(callId: string, settings: WebrtcSettings): Promise<Room> {
    const existing = this.rooms.get(callId);
    if (existing && !existing.router.closed) return existing;
    const pending = this.pendingRooms.get(callId);
    if (pending) return pending;
    const creating = (async () => {
      await this.ready;
      const slot = this.slots
        .filter((s) => s.worker && !s.worker.closed)
        .sort((a, b) => a.routers - b.routers)[0];
      if (!slot) throw new Error('no mediasoup worker is running');
      await this.webRtcServerOf(slot, settings);
      const router = await (slot.worker as types.Worker).createRouter(ROUTER_OPTIONS);
      slot.routers++;
      router.observer.once('close', () => {
        if (slot.routers > 0) slot.routers--;
      });
      const room: Room = {
        callId,
        slot,
        router,
        activeSpeaker: null,
        audioLevels: null,
        peers: new Map(),
        settings: { ...settings },
        taps: new Set(),
        dominantUserId: null,
      };
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

  /** Dominant speaker (ActiveSpeakerObserver) and who speaks (AudioLevelObserver), pushed to the peers. */
  private async observeSpeakers(room: Room): Promise<void> {
    try {
      room.activeSpeaker = await room.router.createActiveSpeakerObserver({ interval: 300 });
      room.audioLevels = await room.router.createAudioLevelObserver({
        maxEntries: 16,
        threshold: -60,
        interval: 800,
      });
    } catch (error) {
      this.logger.warn(`speaker detection unavailable for call ${room.callId}: ${errorMessage(error)}`);
      return;
    }
    const userOf = (producer: types.Producer) => (producer.appData as { userId?: string }).userId ?? '';
    room.activeSpeaker.on('dominantspeaker', ({ producer }) => {
      room.dominantUserId = userOf(producer);
      this.notifyTaps(room, (listener) => listener.dominantSpeaker(userOf(producer)));
      this.push(this.allSockets(room), 'webrtc.activeSpeaker', {
        callId: room.callId,
        userId: userOf(producer),
        producerId: producer.id,
      });
    });
    room.audioLevels.on('volumes', (volumes) => {
      this.push(this.allSockets(room), 'webrtc.speaking', {
        callId: room.callId,
        speakers: volumes.map(({ producer, volume }) => ({ userId: userOf(producer), volume })),
      });
    });
    room.audioLevels.on('silence', () => {
      this.push(this.allSockets(room), 'webrtc.speaking', { callId: room.callId, speakers: [] });
    });
  }

  private allSockets(room: Room): string[] {
    return [...room.peers.values()].flatMap((p) => this.sockets(p));
  }

  rtpCapabilitiesOf(callId: string): types.RtpCapabilities | null {
    return this.rooms.get(callId)?.router.rtpCapabilities ?? null;
  }

  /** A participant joined the call (hook): from now on their `webrtc.*` requests are accepted. */
  async join(callId: string, userId: string, settings: WebrtcSettings): Promise<void> {
    const room = await this.ensureRoom(callId, settings);
    room.settings = { ...settings };
    if (!room.peers.has(userId)) {
      room.peers.set(userId, {
        userId,
        transports: new Map(),
        producers: new Map(),
        consumers: new Map(),
        socketIds: new Set(),
      });
    }
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
    this.closeTaps(room, 'The call ended');
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
    this.notifyTaps(room, (listener) => listener.producerClosed(producerId));
    this.push(this.otherSockets(room, peer.userId), 'webrtc.producer.closed', {
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

  private sockets(peer: Peer): string[] {
    return [...peer.socketIds];
  }

  private otherSockets(room: Room, userId: string): string[] {
    return [...room.peers.values()].filter((p) => p.userId !== userId).flatMap((p) => this.sockets(p));
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

  private transportOf(peer: Peer, transportId: string): PeerTransport {
    const entry = peer.transports.get(transportId);
    if (!entry || entry.transport.closed)
      throw new SocketError('not_found', `Unknown transport ${transportId}`);
    return entry.transport;
  }

  /** A WebRTC transport of the peer (what clients connect and restart); plain ones are not theirs. */
  private webrtcTransportOf(peer: Peer, transportId: string): types.WebRtcTransport {
    const transport = this.transportOf(peer, transportId);
    if (transport.type !== 'webrtc') throw new SocketError('not_found', `Unknown transport ${transportId}`);
    return transport;
  }

  async connectTransport(userId: string, transportId: string, dtlsParameters: unknown): Promise<void> {
    const { peer } = this.owned(this.transports, transportId, userId, 'transport');
    const transport = this.webrtcTransportOf(peer, transportId);
    await this.mediasoup('dtlsParameters', () =>
      transport.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters }),
    );
  }

  async restartIce(userId: string, transportId: string): Promise<types.IceParameters> {
    const { peer } = this.owned(this.transports, transportId, userId, 'transport');
    return { ...(await this.webrtcTransportOf(peer, transportId).restartIce()) };
  }

  async produce(
    userId: string,
    transportId: string,
    kind: MediaKind,
    rtpParameters: unknown,
    appData: Record<string, unknown>,
  ): Promise<string> {
    const { room, peer } = this.owned(this.transports, transportId, userId, 'transport');
    const transport = this.transportOf(peer, transportId);
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
    this.notifyTaps(room, (listener) => listener.producerAdded(this.tapProducer(peer.userId, producer)));
    this.push(
      this.otherSockets(room, userId),
      'webrtc.producer.new',
      this.producerEvent(room, peer, producer),
    );
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
    this.notifyTaps(room, (listener) => listener.producerPaused(producerId, paused));
    this.push(
      this.otherSockets(room, userId),
      paused ? 'webrtc.producer.paused' : 'webrtc.producer.resumed',
      {
        callId: room.callId,
        producerId,
        userId,
      },
    );
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
      this.push(this.sockets(peer), 'webrtc.consumer.closed', {
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
    const entry: TapEntry = { listener, transports: new Set(), closed: false };
    room.taps.add(entry);
    const live = () => {
      if (entry.closed || this.rooms.get(callId) !== room || room.router.closed) {
        throw new Error('the recording tap is closed');
      }
    };
    const producerOf = (producerId: string) => {
      for (const peer of room.peers.values()) {
        const producer = peer.producers.get(producerId);
        if (producer) return producer;
      }
      return null;
    };
    return {
      callId,
      producers: () =>
        [...room.peers.values()].flatMap((peer) =>
          [...peer.producers.values()].map((producer) => this.tapProducer(peer.userId, producer)),
        ),
      dominantSpeaker: () => room.dominantUserId,
      canRecord: (producerId) => {
        try {
          return (
            producerOf(producerId) !== null &&
            room.router.canConsume({ producerId, rtpCapabilities: RECORDING_RTP_CAPABILITIES })
          );
        } catch {
          return false;
        }
      },
      consume: async (producerId, port) => {
        live();
        const transport = await room.router.createPlainTransport({
          listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
          rtcpMux: true,
          comedia: false,
          appData: { recording: true },
        });
        entry.transports.add(transport);
        transport.observer.once('close', () => entry.transports.delete(transport));
        try {
          live();
          await transport.connect({ ip: '127.0.0.1', port });
          const consumer = await transport.consume({
            producerId,
            rtpCapabilities: RECORDING_RTP_CAPABILITIES,
            paused: false,
          });
          if (consumer.type === 'simulcast' || consumer.type === 'svc') {
            // The best picture: the highest spatial and temporal layers.
            const mode = /^L(\d+)T(\d+)/.exec(consumer.rtpParameters.encodings?.[0]?.scalabilityMode ?? '');
            const spatialLayer = mode ? Number(mode[1]) - 1 : 2;
            const temporalLayer = mode ? Number(mode[2]) - 1 : 2;
            await consumer.setPreferredLayers({ spatialLayer, temporalLayer }).catch(() => undefined);
          }
          const tapConsumer: TapConsumer = {
            producerId,
            payloadType: consumer.rtpParameters.codecs[0].payloadType,
            localPort: transport.tuple.localPort,
            pause: () => (consumer.closed ? Promise.resolve() : consumer.pause()),
            resume: () => (consumer.closed ? Promise.resolve() : consumer.resume()),
            requestKeyFrame: () =>
              consumer.closed || consumer.kind !== 'video' ? Promise.resolve() : consumer.requestKeyFrame(),
            close: () => transport.close(),
          };
          return tapConsumer;
        } catch (error) {
          transport.close();
          throw error;
        }
      },
      close: () => {
        if (entry.closed) return;
        entry.closed = true;
        room.taps.delete(entry);
        for (const transport of [...entry.transports]) transport.close();
      },
    };
  }

  private tapProducer(userId: string, producer: types.Producer): TapProducer {
    const source = (producer.appData as { source?: unknown }).source;
    return {
      id: producer.id,
      userId,
      kind: producer.kind,
      source: typeof source === 'string' ? source : producer.kind === 'audio' ? 'mic' : 'camera',
      paused: producer.paused,
    };
  }

  private notifyTaps(room: Room, event: (listener: TapListener) => void): void {
    for (const entry of room.taps) {
      try {
        event(entry.listener);
      } catch (error) {
        this.logger.warn(`call ${room.callId}: recorder event failed: ${errorMessage(error)}`);
      }
    }
  }

  /** The room goes away: its taps are closed and their recorders told why. */
  private closeTaps(room: Room, reason: string): void {
    const entries = [...room.taps];
    room.taps.clear();
    for (const entry of entries) {
      if (entry.closed) continue;
      entry.closed = true;
      for (const transport of [...entry.transports]) transport.close();
      try {
        entry.listener.closed(reason);
      } catch (error) {
        this.logger.warn(`call ${room.callId}: recorder close failed: ${errorMessage(error)}`);
      }
    }
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
