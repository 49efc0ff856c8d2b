import type { GuestSocketEvents, GuestSocketRequests } from './guests';
import type { AdminProvidersResponse } from './admin';
import type { CallDelta } from './call-delta';
import type {
  CallEndedEvent,
  CallHandRequest,
  CallHostMuteRequest,
  CallHostTargetRequest,
  CallHangupRequest,
  CallDeclineRequest,
  CallIdRequest,
  CallIncomingEvent,
  CallInfo,
  CallJoinResponse,
  CallMediaRequest,
  CallMissedEvent,
  CallModeratedEvent,
  CallOpenEvent,
  CallRecordingNoticeEvent,
  CallReactionEvent,
  CallReactionRequest,
  CallRingStopEvent,
  CallRoomJoinRequest,
  CallRoomStartedEvent,
  CallRoomUpdatedEvent,
  CallStartRequest,
  RoomCallInfo,
  RoomIdRequest,
} from './calls';
import type {
  WebrtcActiveSpeakerEvent,
  WebrtcConsumeRequest,
  WebrtcConsumerClosedEvent,
  WebrtcConsumerInfo,
  WebrtcConsumerRequest,
  WebrtcProduceRequest,
  WebrtcProduceResponse,
  WebrtcProducerEvent,
  WebrtcProducerRequest,
  WebrtcProducerStateEvent,
  WebrtcPreferredLayersRequest,
  WebrtcResetEvent,
  WebrtcRestartIceResponse,
  WebrtcSpeakingEvent,
  WebrtcQualityRequest,
  WebrtcStatsRequest,
  WebrtcStatsResponse,
  WebrtcTransportConnectRequest,
  WebrtcTransportCreateRequest,
  WebrtcTransportInfo,
  WebrtcTransportRequest,
} from './webrtc';
import type { ActivityPost, ChatMessage, Presence, UserProfile, UserSummary } from './directory';
import type { IceConfig } from './ice';
import type { ProviderDescriptor, ProvidersChanged } from './providers';

/**
 * One authenticated socket.io connection per browser tab (path `/socket.io`).
 * The handshake authenticates with the session cookie or `auth: { token }`;
 * an unauthenticated handshake is refused with a `connect_error` whose message is
 * `unauthorized`.
 *
 * Requests: the client emits `name` with a payload and an acknowledgement
 * callback; socket.io carries the request id. The reply is always a
 * {@link SocketReply}: a malformed request gets `ok: false` and the connection stays up; a name
 * the server does not know gets `not_found` ("Unknown request …"), and a request past the tab's or
 * user's limits `rate_limited` with `retryAfterMs` (`docs/operations.md`, "Limits").
 */
export interface SocketRequests extends GuestSocketRequests {
  'session.whoami': { request: Record<string, never>; response: UserProfile };
  'presence.set': { request: { presence: Presence }; response: UserSummary };
  /**
   * Send a message. A body starting with `/call` is a command (docs/calls.md "Slash commands"): it is
   * not stored; the reply is an ephemeral message (`ephemeral: true`) for the sender only, also
   * pushed to the sender's tabs as `room.ephemeral`.
   */
  'room.send': { request: { roomId: string; body: string; threadId?: string }; response: ChatMessage };
  /** The providers the user may call with (same list as `GET /api/providers`). */
  'providers.list': { request: Record<string, never>; response: ProviderDescriptor[] };
  /** ICE servers with fresh short-lived TURN credentials (same as `GET /api/ice-config`). */
  'ice.config': { request: Record<string, never>; response: IceConfig };
  /** Admins only (others: `forbidden`): the admin view of every provider. */
  'admin.providers': { request: Record<string, never>; response: AdminProvidersResponse };

  // Calls (see docs/calls.md). Errors: `not_found` (no such user/call/provider),
  // `forbidden` (not a participant), `bad_request` (malformed, or wrong state, e.g. answering
  // a call that is no longer ringing: the message says which).
  /**
   * Place a call. The reply is the call: `ringing`, or already `ended` with outcome `busy`
   * (callee in another call) or `missed` (callee dnd/offline; the callee gets `call.missed`).
   * The caller joins when the callee answers: wait for `call.updated` with state `active`,
   * then send `call.join`.
   */
  'call.start': { request: CallStartRequest; response: CallInfo };
  /** Callee: answer (any tab); the other tabs get `call.ring.stop`. Joins the callee. */
  'call.answer': { request: CallIdRequest; response: CallJoinResponse };
  /** Callee: decline (any tab); the call ends `declined` (`failed` with `noMedia`). */
  'call.decline': { request: CallDeclineRequest; response: CallInfo };
  /** Caller: give up while ringing; the call ends `cancelled`. */
  'call.cancel': { request: CallIdRequest; response: CallInfo };
  /** Any participant: leave. A one-to-one call ends `completed` (`<name> left`); while ringing, a caller's hangup cancels. */
  'call.hangup': { request: CallHangupRequest; response: CallInfo };
  /** Join an active call (the caller after the answer, or rejoining after a reload). */
  'call.join': { request: CallIdRequest; response: CallJoinResponse };
  /** Report own microphone/camera state; the others get `call.updated`. Never waits on the database. */
  'call.media': { request: CallMediaRequest; response: CallInfo };
  /** The calls the user takes part in that are not ended (e.g. to restore after a reload). */
  'call.current': { request: Record<string, never>; response: CallInfo[] };

  // Group calls in rooms. Members of the room only (`forbidden` "You are not a member of this
  // room"); a join past the participant limit gets `conflict` ("The call is full (max N)").
  /** The room's live call (or null) and its permanent link: what the banner shows. */
  'call.room.get': { request: RoomIdRequest; response: RoomCallInfo };
  /** The permanent link: join the room's live call, or start one and join it. */
  'call.room.join': { request: CallRoomJoinRequest; response: CallJoinResponse };
  /** Raise/lower one's own hand; everyone gets `call.updated` (`handRaisedAt`). */
  'call.hand': { request: CallHandRequest; response: CallInfo };
  /** An emoji reaction; every joined participant gets `call.reaction`. */
  'call.reaction': { request: CallReactionRequest; response: Record<string, never> };
  /** Host/admin: mute one participant, or everyone else without `userId`. */
  'call.host.mute': { request: CallHostMuteRequest; response: CallInfo };
  /** Host/admin: stop a participant's screen share. */
  'call.host.stopScreenShare': { request: CallHostTargetRequest; response: CallInfo };
  /** Host/admin: lower a participant's hand. */
  'call.host.lowerHand': { request: CallHostTargetRequest; response: CallInfo };
  /** Host/admin: remove a participant (they get `call.moderated` `removed` and `call.ended`-like teardown). */
  'call.host.remove': { request: CallHostTargetRequest; response: CallInfo };
  /** Host/admin: make another joined participant the host. */
  'call.host.transfer': { request: CallHostTargetRequest; response: CallInfo };
  /** Host/admin: end the call for everyone (outcome `completed`, reason `ended by <name>`). */
  'call.end': { request: CallIdRequest; response: CallInfo };
  /**
   * Host only (others: `forbidden` "Only the host can record"): start recording the call
   * (`CallInfo.recording` is set; everyone gets `call.recording.notice` `started`). `unavailable`
   * when the provider cannot record or ffmpeg is missing on the server (the message says so).
   */
  'call.recording.start': { request: CallIdRequest; response: CallInfo };
  /** Host only: stop the recording; the file is posted in the call's thread. */
  'call.recording.stop': { request: CallIdRequest; response: CallInfo };

  // Built-in WebRTC connector (mediasoup). Only joined participants of an active call;
  // transports/producers/consumers belong to the socket's user and are closed on leave.
  'webrtc.transport.create': { request: WebrtcTransportCreateRequest; response: WebrtcTransportInfo };
  'webrtc.transport.connect': { request: WebrtcTransportConnectRequest; response: Record<string, never> };
  'webrtc.transport.restartIce': { request: WebrtcTransportRequest; response: WebrtcRestartIceResponse };
  'webrtc.produce': { request: WebrtcProduceRequest; response: WebrtcProduceResponse };
  'webrtc.producer.pause': { request: WebrtcProducerRequest; response: Record<string, never> };
  'webrtc.producer.resume': { request: WebrtcProducerRequest; response: Record<string, never> };
  'webrtc.producer.close': { request: WebrtcProducerRequest; response: Record<string, never> };
  /** The other participants' current producers (consume each); new ones come as `webrtc.producer.new`. */
  'webrtc.producers': { request: CallIdRequest; response: WebrtcProducerEvent[] };
  /** Consumers start paused: resume once the client-side consumer exists. */
  'webrtc.consume': { request: WebrtcConsumeRequest; response: WebrtcConsumerInfo };
  'webrtc.consumer.resume': { request: WebrtcConsumerRequest; response: Record<string, never> };
  'webrtc.consumer.pause': { request: WebrtcConsumerRequest; response: Record<string, never> };
  /** Pick the simulcast layers a consumer receives (e.g. by tile size). */
  'webrtc.consumer.setPreferredLayers': {
    request: WebrtcPreferredLayersRequest;
    response: Record<string, never>;
  };
  'webrtc.stats': { request: WebrtcStatsRequest; response: WebrtcStatsResponse };
  /** The candidate type of one of the own transports (what the browser's stats say). */
  'webrtc.quality': { request: WebrtcQualityRequest; response: Record<string, never> };
}

/**
 * This server is shutting down (SIGTERM, `docs/operations.md` "Drain"): it takes no new calls, live
 * calls end by themselves or are ended within `graceSeconds`, then it closes the connection.
 * `reconnect`: connect again after it closed (another node, or this one restarted), do not sign out.
 */
export interface ServerDrainingEvent {
  graceSeconds: number;
  reconnect: true;
}

/** Server pushes. */
export interface SocketEvents extends GuestSocketEvents {
  /** To every tab on the node that is shutting down (and to tabs connecting during its drain). */
  'server.draining': ServerDrainingEvent;
  /** To everyone who can see the user (every signed-in user of the directory). */
  'presence.changed': UserSummary;
  /**
   * To the members of the room: a new stored message. A reply (`threadId` set) goes into its open
   * thread; the root is not pushed again: clients add 1 to the root's `replyCount` themselves.
   */
  'room.message': ChatMessage;
  /**
   * To the sender's tabs only: the (not stored) reply to a slash command, `ephemeral: true` (with
   * the `threadId` of the thread the command was typed in, if any).
   */
  'room.ephemeral': ChatMessage;
  /**
   * To the members of the room: a stored message changed (e.g. its recording was deleted: new body,
   * no attachment). Replace the message with the same id where it is shown.
   */
  'room.message.updated': ChatMessage;
  /** To everyone: a new activity-stream post. */
  'post.created': ActivityPost;
  /**
   * To every connected user, within a second of any change that affects which providers they
   * may use (admin activates/deactivates/reorders/edits settings): the complete new list.
   */
  'providers.changed': ProvidersChanged;
  /** To connected admins: something on the admin page changed (refetch what you show). */
  'admin.changed': { area: 'providers' | 'ice' };

  /** To every tab of each callee that rings (presence available/away). */
  'call.incoming': CallIncomingEvent;
  /**
   * To every tab of every participant: any change (answered, joined, left, mute/camera). In a
   * group call only to those who do not hold the call yet (just joined, back from a dropped
   * socket); the others get `call.delta`.
   */
  'call.updated': CallInfo;
  /** Group calls, to the joined participants who hold the previous snapshot: what changed. */
  'call.delta': CallDelta;
  /** To every tab of the callee: stop ringing (answered/declined in another tab, cancelled, missed). */
  'call.ring.stop': CallRingStopEvent;
  /** To every tab of every participant: the call is over (`reason` is the message to show). */
  'call.ended': CallEndedEvent;
  /** To every tab of the callee: a missed-call notice (no answer, or dnd/offline when called). */
  'call.missed': CallMissedEvent;
  /** To every member of the room (every tab): a group call started there (show the banner). */
  'call.room.started': CallRoomStartedEvent;
  /** To every member of the room: the room's call changed (participants, host, ended). */
  'call.room.updated': CallRoomUpdatedEvent;
  /** To every joined participant: an emoji reaction. */
  'call.reaction': CallReactionEvent;
  /** To the participant a host acted on (muted, screen share stopped, hand lowered, removed, made host). */
  'call.moderated': CallModeratedEvent;
  /** To the tabs of the user who typed `/call start` or `/call join`: open the call view and `call.join`. */
  'call.open': CallOpenEvent;
  /** Recording started/stopped/reminder/limit/failed (see the event type for who gets which). */
  'call.recording.notice': CallRecordingNoticeEvent;

  'webrtc.producer.new': WebrtcProducerEvent;
  'webrtc.producer.closed': WebrtcProducerStateEvent;
  'webrtc.producer.paused': WebrtcProducerStateEvent;
  'webrtc.producer.resumed': WebrtcProducerStateEvent;
  'webrtc.consumer.closed': WebrtcConsumerClosedEvent;
  /** To every joined participant: the dominant speaker changed. */
  'webrtc.activeSpeaker': WebrtcActiveSpeakerEvent;
  /** To every joined participant: who is speaking now (volume in dBov, -127..0). */
  'webrtc.speaking': WebrtcSpeakingEvent;
  /** To every joined participant: the call's media server restarted; rebuild transports. */
  'webrtc.reset': WebrtcResetEvent;
}

/**
 * socket.io timing shared by the server and the clients. The server pings every 10 s and gives up
 * on a silent connection after 5 more (socket.io's defaults are 25 s + 20 s): a dead network is
 * noticed within 15 s, and the participant shows as "reconnecting" to the others meanwhile. The
 * clients retry after 0.5 s, backing off to 2 s at most, so a dropped socket is back within the
 * 5 s a call allows (docs/calls.md "Reconnect").
 */
export const SOCKET_TIMING = {
  pingIntervalMs: 10_000,
  pingTimeoutMs: 5_000,
  reconnectionDelayMs: 500,
  reconnectionDelayMaxMs: 2_000,
} as const;

/**
 * How long a client waits for the acknowledgement of a request before it gives up with
 * {@link requestTimeoutMessage}. Sized for a loaded server, not an idle one: most requests answer
 * in milliseconds, but a 2-core machine running calls can take seconds. Requests that start
 * processes or media on the server (recording: ffmpeg, with retries on a taken port; joins:
 * transports, a provider's `joinInfo`) get longer. The server goes on with a request the client
 * stopped waiting for; its outcome still arrives as pushes (`call.updated`, notices).
 */
export const REQUEST_TIMEOUT: {
  readonly defaultMs: number;
  readonly slowMs: number;
  readonly slow: readonly SocketRequestName[];
} = {
  defaultMs: 20_000,
  slowMs: 45_000,
  slow: ['call.recording.start', 'call.recording.stop', 'call.join', 'call.room.join', 'call.answer'],
};

/** The time to wait for the answer to request `name` (see {@link REQUEST_TIMEOUT}). */
export function requestTimeoutMs(name: string): number {
  return (REQUEST_TIMEOUT.slow as readonly string[]).includes(name)
    ? REQUEST_TIMEOUT.slowMs
    : REQUEST_TIMEOUT.defaultMs;
}

/** What a client says when a request got no answer in time (what happened, and what to do). */
export function requestTimeoutMessage(name: string, waitedMs: number): string {
  return `The server did not answer (${name}) within ${Math.round(waitedMs / 1000)} s. Check the connection and try again.`;
}

export type SocketRequestName = keyof SocketRequests;
export type SocketEventName = keyof SocketEvents;

export type SocketErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  /** A call request that conflicts with the call's state (e.g. answering a call that ended). */
  | 'conflict'
  /** The feature cannot run on this server right now (e.g. recording without ffmpeg): the message says why. */
  | 'unavailable'
  /**
   * Too many requests from this tab or user (`docs/operations.md`, "Limits"): the request was not
   * run; send it again after `retryAfterMs`. The connection stays up.
   */
  | 'rate_limited'
  | 'internal';

export interface SocketError {
  code: SocketErrorCode;
  message: string;
  /** `rate_limited` only: how long until this request would be accepted again, in milliseconds. */
  retryAfterMs?: number;
}

export type SocketReply<T> = { ok: true; data: T } | { ok: false; error: SocketError };
