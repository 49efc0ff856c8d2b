/**
 * The built-in WebRTC connector's signalling (`webrtc.*` on the shared socket, see `docs/calls.md`
 * "Built-in WebRTC"). Shapes follow mediasoup's type names; they are opaque here (protocol has no
 * runtime dependency): cast them to mediasoup-client's types in the browser.
 */
import type { IceServerConfig, IceTransportPolicy } from './ice';

/** mediasoup `RtpCapabilities` (router's or device's). */
export type RtpCapabilities = Record<string, unknown>;
/** mediasoup `RtpParameters`. */
export type RtpParameters = Record<string, unknown>;
/** mediasoup `DtlsParameters`. */
export type DtlsParameters = Record<string, unknown>;
/** mediasoup `IceParameters`. */
export type IceParameters = Record<string, unknown>;
/** mediasoup `IceCandidate`[]. */
export type IceCandidate = Record<string, unknown>;
/** mediasoup `SctpParameters`. */
export type SctpParameters = Record<string, unknown>;
export type MediaKind = 'audio' | 'video';

/** `joinInfo` of the `webrtc` provider. */
export interface WebrtcJoinInfo {
  routerRtpCapabilities: RtpCapabilities;
  iceServers: IceServerConfig[];
  iceTransportPolicy: IceTransportPolicy;
  /** Max outgoing bitrate for send transports (bps), from the provider settings; null = default. */
  maxBitrate: number | null;
  /** Whether the admins allow screen sharing (a `screen` producer is refused with `forbidden` otherwise). */
  screenShareAllowed?: boolean;
}

export type WebrtcDirection = 'send' | 'recv';

export interface WebrtcTransportCreateRequest {
  callId: string;
  direction: WebrtcDirection;
}

/** Pass to `device.createSendTransport/createRecvTransport` (with `iceServers` and policy from joinInfo). */
export interface WebrtcTransportInfo {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
  sctpParameters: SctpParameters | null;
}

export interface WebrtcTransportConnectRequest {
  transportId: string;
  dtlsParameters: DtlsParameters;
}

/** What a producer carries: `camera`, `mic`, `screen` (kept as `appData.source`). */
export type WebrtcSource = 'mic' | 'camera' | 'screen';

export interface WebrtcProduceRequest {
  transportId: string;
  kind: MediaKind;
  rtpParameters: RtpParameters;
  /** Free JSON; `source` is forwarded to the other participants. */
  appData?: { source?: WebrtcSource } & Record<string, unknown>;
}

export interface WebrtcProduceResponse {
  producerId: string;
}

export interface WebrtcConsumeRequest {
  callId: string;
  producerId: string;
  /** The browser device's `rtpCapabilities`. */
  rtpCapabilities: RtpCapabilities;
}

/** Pass to `recvTransport.consume(...)`; the consumer starts paused: send `webrtc.consumer.resume`. */
export interface WebrtcConsumerInfo {
  id: string;
  producerId: string;
  kind: MediaKind;
  rtpParameters: RtpParameters;
  /** The user whose media this is. */
  userId: string;
  appData: Record<string, unknown>;
  producerPaused: boolean;
}

export interface WebrtcProducerRequest {
  producerId: string;
}

export interface WebrtcConsumerRequest {
  consumerId: string;
}

export interface WebrtcTransportRequest {
  transportId: string;
}

/** `webrtc.consumer.setPreferredLayers`: receivers pick simulcast layers by tile size. */
export interface WebrtcPreferredLayersRequest {
  consumerId: string;
  /** 0 = lowest simulcast layer. */
  spatialLayer: number;
  /** Optional temporal layer (frame rate), 0 = lowest. */
  temporalLayer?: number;
}

/**
 * `webrtc.activeSpeaker`: to every joined participant of a call whenever the dominant speaker
 * changes (mediasoup ActiveSpeakerObserver).
 */
export interface WebrtcActiveSpeakerEvent {
  callId: string;
  userId: string;
  producerId: string;
}

/**
 * `webrtc.speaking`: the participants whose audio is above the speaking threshold (AudioLevelObserver,
 * every ~800 ms while it changes); an empty list = silence.
 */
export interface WebrtcSpeakingEvent {
  callId: string;
  speakers: { userId: string; volume: number }[];
}

/**
 * `webrtc.reset`: the media server of the call restarted (its worker died). Every transport,
 * producer and consumer is gone: load the device with `routerRtpCapabilities`, create the
 * transports again, produce again and consume `webrtc.producers`. The call itself goes on.
 */
export interface WebrtcResetEvent {
  callId: string;
  routerRtpCapabilities: RtpCapabilities;
}

export interface WebrtcRestartIceResponse {
  iceParameters: IceParameters;
}

export interface WebrtcStatsRequest {
  /** One of the user's transports, producers or consumers. */
  id: string;
}

/** Where a transport's selected ICE candidate pair runs on the browser's side (relay: TURN). */
export type WebrtcCandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/**
 * `webrtc.quality`: the browser tells the candidate type of one of its transports (the server cannot
 * see whether a TURN relay is in the path); shown to admins in the Calls tab and `/call stats`.
 */
export interface WebrtcQualityRequest {
  transportId: string;
  candidateType: WebrtcCandidateType;
}

/** mediasoup's `getStats()` entries, as JSON. */
export interface WebrtcStatsResponse {
  stats: Record<string, unknown>[];
}

/** `webrtc.producer.new`: to the other joined participants (and on join, one per existing producer). */
export interface WebrtcProducerEvent {
  callId: string;
  producerId: string;
  userId: string;
  kind: MediaKind;
  appData: Record<string, unknown>;
  paused: boolean;
}

/** `webrtc.producer.closed/paused/resumed`: to the other joined participants. */
export interface WebrtcProducerStateEvent {
  callId: string;
  producerId: string;
  userId: string;
}

/** `webrtc.consumer.closed`: to the consumer's owner (its producer went away). */
export interface WebrtcConsumerClosedEvent {
  callId: string;
  consumerId: string;
  producerId: string;
}
