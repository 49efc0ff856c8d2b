/**
 * Calls: one call service owns every call whatever the provider (see `docs/calls.md`).
 *
 * Lifecycle: `ringing -> active -> ended`. A call that never became active ends with
 * `declined`, `missed`, `cancelled`, `busy` or `failed`; an active call ends `completed`
 * (or `failed`). Participants go `invited -> joined -> left`.
 */
import type { UserSummary } from './directory';
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
  /**
   * The participant's last tab dropped: they have `CALL_RECONNECT_GRACE_SECONDS` to come back
   * (`call.join` from a new socket resumes). Shown as "reconnecting" to the others.
   */
  reconnecting?: boolean;
  /** Group calls: ISO time the hand was raised, or null (lowered). */
  handRaisedAt?: string | null;
  /** A guest who came by a guest link (not in the directory): the name they gave. */
  guest?: { displayName: string };
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
  /**
   * Group calls: the host (the starter at first; passed to the longest-joined participant when the
   * host leaves, or given with `call.host.transfer`). Null/absent for one-to-one calls.
   */
  hostId?: string | null;
  /** Group calls: the title given at start (`/call start <title>`), or null. */
  title?: string | null;
  /** Group calls: the most participants that may be joined at once (a join past it is refused). */
  maxParticipants?: number | null;
  /**
   * Group calls: the call's chat thread in the room (id of the "call started" root message; post
   * replies with `threadId`). Recordings are posted there too. Null for one-to-one calls.
   */
  threadId?: string | null;
  /** Group calls: the recording in progress, or null. */
  recording?: CallRecordingInfo | null;
  /**
   * Group calls: grows with every change pushed to the participants; a `call.delta` applies to
   * the snapshot of its `baseVersion` (`call-delta.ts`).
   */
  version?: number;
}

/** A recording in progress (see docs/calls.md "Recording"). */
export interface CallRecordingInfo {
  /** ISO time it started. */
  startedAt: string;
  /** The host who started it. */
  startedBy: string;
  /** ISO time it stops by itself (the admin's max recording duration). */
  endsAt: string;
}

/**
 * `call.recording.notice`: what happened to a call's recording.
 * - `started`, `stopped`: to every joined participant (`message` says who/what);
 * - `reminder`: to the host, ten minutes (configurable) before the limit;
 * - `limit`: to every joined participant, recording stopped at the limit (the host may start a new one);
 * - `failed`: to the host, recording stopped on an error (ffmpeg died, disk full): what was
 *   recorded is kept and posted.
 */
export interface CallRecordingNoticeEvent {
  callId: string;
  kind: 'started' | 'stopped' | 'reminder' | 'limit' | 'failed';
  message: string;
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

/**
 * `call.hangup`. `providerUnavailable`: the client half lost the call's provider (e.g. the Janus
 * gateway went away); a one-to-one call then ends `failed` with `<Provider>, the call provider, is
 * unavailable` for both sides, instead of `<name> left` (the server words it, not the client).
 */
export interface CallHangupRequest extends CallIdRequest {
  providerUnavailable?: boolean;
}

/**
 * `call.decline`. `noMedia`: the callee answered but their browser has no camera/microphone
 * access and they gave up: the call ends `failed` (`call failed: no camera/microphone access`)
 * instead of `declined`.
 */
export interface CallDeclineRequest extends CallIdRequest {
  noMedia?: boolean;
}

export interface CallStartRequest {
  providerType: string;
  /**
   * `{ kind: 'user', userId }` rings one person; `{ kind: 'room', roomId }` starts (or returns the
   * live) group call of a room the caller is a member of. Group calls do not ring: the room's
   * members get `call.room.started`.
   */
  target: CallTarget;
  /** Group calls: an optional title (max 200 characters). */
  title?: string;
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

// ---------------------------------------------------------------------------------------------
// Group calls in rooms (see docs/calls.md "Group calls").
// ---------------------------------------------------------------------------------------------

/** Payload of a request that names a room. */
export interface RoomIdRequest {
  roomId: string;
}

/**
 * `call.room.get`: the room's call banner data, members only. `call` is the live call or null;
 * `link` is the room's permanent call link (the same while the room exists).
 */
export interface RoomCallInfo {
  roomId: string;
  call: CallInfo | null;
  /** Path of the permanent link, `/rooms/<roomId>/call` (prefix with the portal's origin). */
  link: string;
}

/**
 * `call.room.join` (what opening the permanent link does): joins the room's live call, or starts
 * one (with `providerType`, else the first usable provider that serves rooms) and joins it.
 */
export interface CallRoomJoinRequest {
  roomId: string;
  providerType?: string;
}

/** `call.room.started`: to every member of the room (every tab). The banner appears. */
export interface CallRoomStartedEvent {
  roomId: string;
  call: CallInfo;
  /** The member who started it. */
  startedBy: UserSummary;
  /**
   * Direct and group messages (Mattermost's rule): the UI may ring (a toast with Join, no
   * Answer/Decline: group calls have no per-user ringing state). False for chat rooms and spaces.
   */
  ring: boolean;
}

/** `call.room.updated`: to every member of the room on every change (joins, leaves, host, end). */
export interface CallRoomUpdatedEvent {
  roomId: string;
  /** The call; `state: 'ended'` means the banner goes away. */
  call: CallInfo;
}

/** `call.hand`: raise or lower one's own hand (joined participants). */
export interface CallHandRequest {
  callId: string;
  raised: boolean;
}

/** `call.reaction`: an emoji shown to all (1..16 characters, e.g. `👍`). */
export interface CallReactionRequest {
  callId: string;
  emoji: string;
}

/** `call.reaction` push: to every joined participant (the sender too). Not stored. */
export interface CallReactionEvent {
  callId: string;
  userId: string;
  emoji: string;
  at: string;
}

/**
 * Host actions (`call.host.*`): the host or an admin only (`forbidden` otherwise).
 * `call.host.mute` without `userId` mutes everyone but the host.
 */
export interface CallHostTargetRequest {
  callId: string;
  userId: string;
}

export interface CallHostMuteRequest {
  callId: string;
  /** Absent: everyone else. */
  userId?: string;
}

/** What a host did to a participant (`call.moderated` push to that participant's tabs). */
export type CallModerationAction = 'muted' | 'screenShareStopped' | 'handLowered' | 'removed' | 'madeHost';

/**
 * `call.moderated`: to the affected participant. The server already enforced it (the mic producer
 * is paused, the screen producer closed, a removed participant's transports closed); the client
 * updates its UI (and for `muted` reflects it in `call.media`). Unmuting is up to the user.
 */
export interface CallModeratedEvent {
  callId: string;
  action: CallModerationAction;
  /** The host (or admin) who did it. */
  byUserId: string;
}

/** `call.open`: to the tabs of a user who ran `/call start` or `/call join`: open the call view and `call.join`. */
export interface CallOpenEvent {
  call: CallInfo;
}

/** A row of call history as seen by one user. */
export interface CallHistoryEntry {
  call: CallInfo;
  /** The other party of a one-to-one call (from the viewer's point of view); null for group calls. */
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
