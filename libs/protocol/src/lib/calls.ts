/**
 * Calls: one call service owns every call whatever the provider (see `docs/calls.md`).
 *
 * Lifecycle: `ringing -> active -> ended`. A call that never became active ends with
 * `declined`, `missed`, `cancelled`, `busy` or `failed`; an active call ends `completed`
 * (or `failed`). Participants go `invited -> joined -> left`.
 */
import type { UserSummary } from './directory';
import type { IceServerConfig, IceTransportPolicy } from './ice';
import type { CallTarget } from './providers';

export type CallState = 'ringing' | 'active' | 'ended';
export const CALL_STATES: readonly CallState[] = ['ringing', 'active', 'ended'];

/**
 * How a call ended:
 * - `completed`: it was answered, then hung up;
 * - `declined`: the callee declined;
 * - `missed`: no answer within the ring timeout, or the callee was dnd/offline (never rang);
 * - `cancelled`: the caller hung up while it was ringing;
 * - `busy`: the callee was already in a call;
 * - `failed`: the provider failed (e.g. its `joinInfo` threw) or the server gave up.
 */
export type CallOutcome = 'completed' | 'declined' | 'missed' | 'cancelled' | 'busy' | 'failed';
export const CALL_OUTCOMES: readonly CallOutcome[] = [
  'completed',
  'declined',
  'missed',
  'cancelled',
  'busy',
  'failed',
];

/** One-to-one (target kind `user`) or group (target kind `room`/`space`, reserved). */
export type CallKind = 'one-to-one' | 'group';

export type CallParticipantState = 'invited' | 'joined' | 'left';

export interface CallParticipant {
  userId: string;
  state: CallParticipantState;
  /** Microphone off (as reported by the participant's client with `call.media`). */
  muted: boolean;
  cameraOff: boolean;
  /** ISO time of the (latest) join, or null if never joined. */
  joinedAt: string | null;
  /** ISO time the participant left, or null. */
  leftAt: string | null;
}

export interface CallInfo {
  id: string;
  /** The provider the call is placed with, e.g. `webrtc`. */
  providerType: string;
  target: CallTarget;
  kind: CallKind;
  /** The user who placed the call. */
  callerId: string;
  /** Owner of the call: the caller for one-to-one, the room/space id for group calls. */
  ownerId: string;
  state: CallState;
  /** Caller first, then the callee(s). */
  participants: CallParticipant[];
  /** ISO times. */
  createdAt: string;
  /** When the call became active (answered), or null. */
  answeredAt: string | null;
  endedAt: string | null;
  /** Set once `state` is `ended`. */
  outcome: CallOutcome | null;
  /**
   * Human-readable end message once ended, e.g. `declined`, `no answer`, `busy`,
   * `Ada Lovelace left`, `cancelled`, `call failed: <reason>`.
   */
  endReason: string | null;
  /** Seconds between answer and end (0 for calls never answered). */
  durationSeconds: number;
}

/**
 * What the client half needs to open the call. For the built-in WebRTC connector this is
 * {@link WebrtcJoinInfo}; other providers return their own JSON.
 */
export type CallJoinInfo = Record<string, unknown>;

export interface CallJoinResponse {
  call: CallInfo;
  joinInfo: CallJoinInfo;
}

/** Payload of a request that names a call. */
export interface CallIdRequest {
  callId: string;
}

export interface CallStartRequest {
  providerType: string;
  /** Only `{ kind: 'user', userId }` for now (group calls are reserved). */
  target: CallTarget;
}

export interface CallMediaRequest {
  callId: string;
  muted: boolean;
  cameraOff: boolean;
}

/** `call.incoming`: to every tab of each callee whose presence is available or away. */
export interface CallIncomingEvent {
  call: CallInfo;
  caller: UserSummary;
}

/** Why the ring stopped in this tab. */
export type RingStopReason =
  /** Answered in another tab of the same user. */
  | 'answered_elsewhere'
  /** Declined in another tab of the same user. */
  | 'declined_elsewhere'
  | 'cancelled'
  | 'missed'
  | 'ended';

/** `call.ring.stop`: to every tab of the callee once the ring is over (other tabs after answer/decline). */
export interface CallRingStopEvent {
  callId: string;
  reason: RingStopReason;
}

/** `call.ended`: to every tab of every participant. */
export interface CallEndedEvent {
  call: CallInfo;
  /** Same as `call.endReason`: the message to show. */
  reason: string;
}

/** `call.missed`: missed-call notice to every tab of the callee (no answer, or dnd/offline). */
export interface CallMissedEvent {
  call: CallInfo;
  caller: UserSummary;
}

/** A row of call history as seen by one user. */
export interface CallHistoryEntry {
  call: CallInfo;
  /** The other party of a one-to-one call (from the viewer's point of view). */
  peer: UserSummary | null;
  direction: 'outgoing' | 'incoming';
}

/**
 * Query of `GET /api/calls/history`: the signed-in user's calls, newest first. With `userId`, only
 * the calls between the signed-in user and that user (what a profile page shows).
 */
export interface CallHistoryQuery {
  userId?: string;
  /** 1..200, default 50. */
  limit?: number;
}

export interface CallHistoryResponse {
  entries: CallHistoryEntry[];
}

/** Where the call pulldown is shown; each remembers its own last provider. */
export type PreferenceContext = 'user' | 'room' | 'space' | 'popover' | 'profile';
export const PREFERENCE_CONTEXTS: readonly PreferenceContext[] = [
  'user',
  'room',
  'space',
  'popover',
  'profile',
];

/** `GET /api/me/preferences`. Stored server-side: follows the user across browsers. */
export interface UserPreferences {
  /** Last provider type chosen, per pulldown context. */
  lastProvider: Partial<Record<PreferenceContext, string>>;
  /** Microphone on for the next call (default true). */
  micEnabled: boolean;
  /** Camera on for the next call (default true). */
  cameraEnabled: boolean;
}

/** `PUT /api/me/preferences`: a patch; `lastProvider` entries merge (`null` removes one). */
export interface UserPreferencesUpdate {
  lastProvider?: Partial<Record<PreferenceContext, string | null>>;
  micEnabled?: boolean;
  cameraEnabled?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Built-in WebRTC connector (mediasoup). Shapes follow mediasoup's type names; they are opaque
// here (protocol has no runtime dependency): cast them to mediasoup-client's types in the browser.
// ---------------------------------------------------------------------------------------------

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

export interface WebrtcRestartIceResponse {
  iceParameters: IceParameters;
}

export interface WebrtcStatsRequest {
  /** One of the user's transports, producers or consumers. */
  id: string;
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
