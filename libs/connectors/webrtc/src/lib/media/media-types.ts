/**
 * The built-in connector's media types: its module options, the router codecs, a worker slot, a
 * recording tap's entry, and what a room and a peer are told and tell. The call's media itself:
 * `room.ts`, `peer.ts`.
 */
import type { Logger } from '@nestjs/common';
import type { SocketEventName, SocketEvents, WebrtcDirection } from '@parley/protocol';
import type { types } from 'mediasoup';
import type { RecorderOptions } from '../recording/recorder';
import type { TapListener } from '../recording/recording-types';
import type { Peer } from './peer';

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
  /** This server's announced media address, overriding the `announcedAddress` setting (WEBRTC_ANNOUNCED_ADDRESS). */
  announcedAddress?: string;
  /** Recorder tuning (tests): audio slots, free-space threshold and its check period. */
  recording?: Pick<RecorderOptions, 'audioSlots' | 'minFreeBytes' | 'diskCheckMs'>;
}

export const WEBRTC_OPTIONS = 'parley:webrtc:options';

/**
 * What one participant may hold in a call at once, all their tabs together (`docs/operations.md`,
 * "Limits"): WebRTC transports (a tab makes two, send and recv; the rest is room for a second tab
 * or a reconnect whose old tab the server has not seen go yet) and producers (a tab sends mic,
 * camera and screen). Past them a request is refused `conflict`. Server-side plain transports
 * (recording, benchmarks) are not counted.
 */
export const PEER_LIMITS = { transports: 6, producers: 8 } as const;

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

/** A recording tap of a room (see openRecordingTap). */
export interface TapEntry {
  listener: TapListener;
  transports: Set<types.PlainTransport>;
  closed: boolean;
}

export interface WorkerSlot {
  index: number;
  worker: types.Worker | null;
  webRtcServer: types.WebRtcServer | null;
  /** Settings the WebRtcServer was made with. */
  serverKey: string | null;
  routers: number;
}

/** A participant's transport: WebRTC (browsers) or plain RTP (server-side tools, see createPlainTransport). */
export type PeerTransport = types.WebRtcTransport | types.PlainTransport;

/** How a transport was asked for (`appData.direction`): a send one produces, a recv one consumes. */
export type TransportDirection = WebrtcDirection;

/** A server-side PlainTransport's options (see Room.createPlainTransport). */
export interface PlainTransportOptions {
  /** Default 127.0.0.1. */
  listenIp?: string;
  /** Default: on for a send transport (the sender's address is learnt from its first packet). */
  comedia?: boolean;
  enableSrtp?: boolean;
}

/** What a room needs from the service that holds it: a way to push to tabs, and a log. */
export interface RoomContext {
  push<E extends SocketEventName>(socketIds: string[], event: E, data: SocketEvents[E]): void;
  readonly logger: Logger;
}

/** What a peer tells its room (mediasoup's close cascade reaches the peer first). */
export interface PeerListener {
  /** One of the peer's producers closed (by the peer, its transport, the router or the worker). */
  producerClosed(peer: Peer, producer: types.Producer): void;
  /** The producer a consumer of the peer received closed, so the consumer did too. */
  consumerProducerClosed(peer: Peer, consumer: types.Consumer): void;
}
