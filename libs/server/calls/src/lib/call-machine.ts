import type { CallInfo, CallOutcome, CallParticipant, CallRecordingInfo, CallTarget } from '@parley/protocol';
import { SocketError } from '@parley/connector-sdk';

/** A history row describing one transition. */
export interface CallTransition {
  type:
    | 'created'
    | 'ringing'
    | 'answered'
    | 'joined'
    | 'left'
    | 'declined'
    | 'cancelled'
    | 'missed'
    | 'busy'
    | 'failed'
    | 'ended';
  userId: string | null;
  detail: string | null;
  at: string;
}

/** End messages shown to both sides. */
export const END_REASONS = {
  declined: 'declined',
  missed: 'no answer',
  unavailable: 'not available',
  cancelled: 'cancelled',
  busy: 'busy',
  left: (name: string) => `${name} left`,
  everyoneLeft: 'everyone left',
  endedBy: (name: string) => `ended by ${name}`,
  failed: (why: string) => `call failed: ${why}`,
  noMedia: 'no camera/microphone access',
  providerUnavailable: (title: string) => `${title}, the call provider, is unavailable`,
} as const;

export interface NewCall {
  id: string;
  providerType: string;
  target: CallTarget & { kind: 'user' };
  callerId: string;
  now: Date;
}

/** A group call in a room: active at once, the starter joined and host. */
export interface NewGroupCall {
  id: string;
  providerType: string;
  target: CallTarget & { kind: 'room' | 'space' };
  callerId: string;
  title: string | null;
  maxParticipants: number;
  now: Date;
}

function newParticipant(userId: string): CallParticipant {
  return { userId, state: 'invited', muted: false, cameraOff: false, joinedAt: null, leftAt: null };
}

/**
 * The state machine of one call, in memory (no I/O): `ringing -> active -> ended`. Every method
 * checks who may do what in which state, mutates the call and returns the transitions to record.
 * A refused request throws {@link SocketError} and leaves the call unchanged.
 */
export class CallMachine {
  readonly info: CallInfo;
  /** Group calls: the admitted guests and their names (guests never host, nor keep a call alive alone). */
  private readonly guestNames = new Map<string, string>();

  constructor(init: NewCall | NewGroupCall) {
    if (init.target.kind !== 'user') {
      const group = init as NewGroupCall;
      const at = init.now.toISOString();
      this.info = {
        id: init.id,
        providerType: init.providerType,
        target: group.target,
        kind: 'group',
        callerId: init.callerId,
        ownerId: group.target.roomId,
        state: 'active',
        participants: [
          {
            ...newParticipant(init.callerId),
            state: 'joined',
            joinedAt: at,
            reconnecting: false,
            handRaisedAt: null,
          },
        ],
        createdAt: at,
        answeredAt: at,
        endedAt: null,
        outcome: null,
        endReason: null,
        durationSeconds: 0,
        hostId: init.callerId,
        title: group.title,
        maxParticipants: group.maxParticipants,
        threadId: null,
        version: 0,
      };
      return;
    }
    const participant = newParticipant;
    const target = init.target;
    this.info = {
      id: init.id,
      providerType: init.providerType,
      target,
      kind: 'one-to-one',
      callerId: init.callerId,
      ownerId: init.callerId,
      state: 'ringing',
      participants: [participant(init.callerId), participant(target.userId)],
      createdAt: init.now.toISOString(),
      answeredAt: null,
      endedAt: null,
      outcome: null,
      endReason: null,
      durationSeconds: 0,
    };
  }

  get id(): string {
    return this.info.id;
  }

  get callerId(): string {
    return this.info.callerId;
  }

  /** The callees (everyone but the caller). */
  get calleeIds(): string[] {
    return this.info.participants.filter((p) => p.userId !== this.info.callerId).map((p) => p.userId);
  }

  get participantIds(): string[] {
    return this.info.participants.map((p) => p.userId);
  }

  get ended(): boolean {
    return this.info.state === 'ended';
  }

  get isGroup(): boolean {
    return this.info.kind === 'group';
  }

  get hostId(): string | null {
    return this.info.hostId ?? null;
  }

  /** Joined participants, in join order. */
  get joinedIds(): string[] {
    return this.info.participants.filter((p) => p.state === 'joined').map((p) => p.userId);
  }

  participant(userId: string): CallParticipant | undefined {
    return this.info.participants.find((p) => p.userId === userId);
  }

  /** Whether the user still takes part (ringing or active, and not left). */
  involves(userId: string): boolean {
    const p = this.participant(userId);
    return !this.ended && p !== undefined && p.state !== 'left';
  }

  /** Group calls: the call's chat thread in the room (id of its "call started" message). */
  setThread(threadId: string): void {
    if (this.isGroup) this.info.threadId = threadId;
  }

  /** Group calls: `userId` is a guest (admitted from the lobby) named `displayName`. */
  addGuest(userId: string, displayName: string): void {
    this.guestNames.set(userId, displayName);
  }

  isGuest(userId: string): boolean {
    return this.guestNames.has(userId);
  }

  /** A deep copy, safe to send while the call keeps changing. */
  snapshot(): CallInfo {
    return structuredClone(this.info);
  }

  /** Group calls: a change is about to be pushed; snapshots from now on carry the next version. */
  nextVersion(): void {
    this.info.version = (this.info.version ?? 0) + 1;
  }

  private requireParticipant(userId: string): CallParticipant {
    const p = this.participant(userId);
    if (!p) throw new SocketError('forbidden', 'You are not a participant of this call');
    return p;
  }

  private requireState(state: 'ringing' | 'active', action: string): void {
    if (this.info.state !== state) {
      throw new SocketError(
        'conflict',
        this.ended
          ? `Cannot ${action}: the call has ended (${this.info.endReason ?? this.info.outcome})`
          : `Cannot ${action}: the call is ${this.info.state}`,
      );
    }
  }

  /** Ends the call (any state but ended). */
  end(outcome: CallOutcome, reason: string, now: Date, userId: string | null = null): CallTransition[] {
    if (this.ended) throw new SocketError('conflict', 'The call has already ended');
    const at = now.toISOString();
    this.info.state = 'ended';
    if (this.info.recording) this.info.recording = null;
    this.info.outcome = outcome;
    this.info.endReason = reason;
    this.info.endedAt = at;
    if (this.info.answeredAt) {
      this.info.durationSeconds = Math.max(0, now.getTime() - Date.parse(this.info.answeredAt)) / 1000;
    }
    const transitions: CallTransition[] = [];
    for (const p of this.info.participants) {
      if (p.state === 'joined') {
        p.state = 'left';
        p.leftAt = at;
        transitions.push({ type: 'left', userId: p.userId, detail: null, at });
      }
    }
    const type = outcome === 'completed' ? 'ended' : outcome;
    transitions.push({ type, userId, detail: reason, at });
    return transitions;
  }

  /** The callee picks up: the call becomes active and the callee joined. */
  answer(userId: string, now: Date): CallTransition[] {
    const p = this.requireParticipant(userId);
    if (userId === this.callerId) throw new SocketError('forbidden', 'Only the callee can answer');
    this.requireState('ringing', 'answer');
    const at = now.toISOString();
    this.info.state = 'active';
    this.info.answeredAt = at;
    p.state = 'joined';
    p.joinedAt = at;
    return [
      { type: 'answered', userId, detail: null, at },
      { type: 'joined', userId, detail: null, at },
    ];
  }

  /** Join an active call (the caller after the answer, or a participant coming back). */
  join(userId: string, now: Date): CallTransition[] {
    if (this.isGroup) return this.joinGroup(userId, now);
    const p = this.requireParticipant(userId);
    this.requireState('active', 'join');
    if (p.state === 'joined') return [];
    const at = now.toISOString();
    p.state = 'joined';
    p.joinedAt = at;
    p.leftAt = null;
    return [{ type: 'joined', userId, detail: null, at }];
  }

  /** Group: any member (checked by the service) joins, up to `maxParticipants` joined at once. */
  private joinGroup(userId: string, now: Date): CallTransition[] {
    this.requireState('active', 'join');
    let p = this.participant(userId);
    if (p?.state === 'joined') {
      p.reconnecting = false;
      return [];
    }
    const max = this.info.maxParticipants ?? Infinity;
    if (this.joinedIds.length >= max) {
      throw new SocketError('conflict', `The call is full (max ${max} participants)`);
    }
    if (!p) {
      p = { ...newParticipant(userId), reconnecting: false, handRaisedAt: null };
      const guestName = this.guestNames.get(userId);
      if (guestName !== undefined) p.guest = { displayName: guestName };
      this.info.participants.push(p);
    }
    const at = now.toISOString();
    p.state = 'joined';
    p.joinedAt = at;
    p.leftAt = null;
    p.reconnecting = false;
    p.handRaisedAt = null;
    const hostGone = !this.info.hostId || !this.joinedIds.includes(this.info.hostId);
    if (hostGone && !this.isGuest(userId)) this.info.hostId = userId;
    return [{ type: 'joined', userId, detail: null, at }];
  }

  /**
   * Group: a participant leaves (hang up, removed, or gone after the grace time). The host passes
   * to the longest-joined participant left; the last one out ends the call (`completed`).
   */
  leave(userId: string, now: Date, detail: string | null = null): CallTransition[] {
    const p = this.requireParticipant(userId);
    this.requireState('active', 'leave');
    if (p.state !== 'joined') throw new SocketError('conflict', 'You are not in the call');
    const at = now.toISOString();
    p.state = 'left';
    p.leftAt = at;
    p.reconnecting = false;
    p.handRaisedAt = null;
    const transitions: CallTransition[] = [{ type: 'left', userId, detail, at }];
    // Guests alone do not keep a call going, and never become its host.
    const remaining = this.info.participants
      .filter((q) => q.state === 'joined' && !this.isGuest(q.userId))
      .sort((a, b) => (a.joinedAt ?? '').localeCompare(b.joinedAt ?? ''));
    if (remaining.length === 0)
      return [...transitions, ...this.end('completed', END_REASONS.everyoneLeft, now)];
    if (this.info.hostId === userId) this.info.hostId = remaining[0].userId;
    return transitions;
  }

  /** Group: only the host or an admin may moderate. */
  requireHost(userId: string, isAdmin: boolean): void {
    if (!this.isGroup) throw new SocketError('bad_request', 'Host actions are for group calls');
    this.requireState('active', 'moderate');
    if (this.info.hostId !== userId && !isAdmin) {
      throw new SocketError('forbidden', 'Only the host (or an admin) can do that');
    }
  }

  /** A joined participant of a group call (host actions' target, hands). */
  requireJoined(userId: string): CallParticipant {
    const p = this.participant(userId);
    if (!p || p.state !== 'joined' || this.ended) {
      throw new SocketError('not_found', 'That user is not in the call');
    }
    return p;
  }

  /** Group: raise/lower a hand. Returns whether it changed. */
  hand(userId: string, raised: boolean, now: Date): boolean {
    if (!this.isGroup) throw new SocketError('bad_request', 'Raising hands is for group calls');
    const p = this.requireJoined(userId);
    if (raised === !!p.handRaisedAt) return false;
    p.handRaisedAt = raised ? now.toISOString() : null;
    return true;
  }

  /** Group: make another joined participant the host. */
  setHost(userId: string): void {
    this.requireJoined(userId);
    if (this.isGuest(userId)) throw new SocketError('bad_request', 'A guest cannot host the call');
    this.info.hostId = userId;
  }

  /** Group: the recording in progress (set by the recording service), or null. */
  setRecording(recording: CallRecordingInfo | null): void {
    if (!this.isGroup || this.ended) return;
    this.info.recording = recording;
  }

  /** Marks a participant as reconnecting (last tab gone) or back. Returns whether it changed. */
  setReconnecting(userId: string, reconnecting: boolean): boolean {
    const p = this.participant(userId);
    if (!p || p.state !== 'joined' || this.ended || !!p.reconnecting === reconnecting) return false;
    p.reconnecting = reconnecting;
    return true;
  }

  /** `noMedia`: the callee could not answer for lack of camera/microphone access (`failed`). */
  decline(userId: string, now: Date, noMedia = false): CallTransition[] {
    this.requireParticipant(userId);
    if (userId === this.callerId) throw new SocketError('forbidden', 'Only the callee can decline');
    this.requireState('ringing', 'decline');
    if (noMedia) return this.end('failed', END_REASONS.failed(END_REASONS.noMedia), now, userId);
    return this.end('declined', END_REASONS.declined, now, userId);
  }

  cancel(userId: string, now: Date): CallTransition[] {
    this.requireParticipant(userId);
    if (userId !== this.callerId) throw new SocketError('forbidden', 'Only the caller can cancel');
    this.requireState('ringing', 'cancel');
    return this.end('cancelled', END_REASONS.cancelled, now, userId);
  }

  /** No answer within the ring timeout. */
  timeout(now: Date): CallTransition[] {
    this.requireState('ringing', 'time out');
    return this.end('missed', END_REASONS.missed, now);
  }

  /**
   * Hang up: while ringing the caller cancels and a callee declines; once active, a one-to-one
   * call ends `completed` with `<name> left`, or `failed` when the user's client lost the provider
   * (`lostProvider`: its title).
   */
  hangup(
    userId: string,
    displayName: string,
    now: Date,
    lostProvider: string | null = null,
  ): CallTransition[] {
    if (this.isGroup) return this.leave(userId, now);
    this.requireParticipant(userId);
    if (this.info.state === 'ringing') {
      return userId === this.callerId ? this.cancel(userId, now) : this.decline(userId, now);
    }
    this.requireState('active', 'hang up');
    if (lostProvider !== null) {
      return this.end('failed', END_REASONS.providerUnavailable(lostProvider), now, userId);
    }
    return this.end('completed', END_REASONS.left(displayName), now, userId);
  }

  /** Own microphone/camera state (joined participants only). */
  media(userId: string, muted: boolean, cameraOff: boolean): boolean {
    const p = this.requireParticipant(userId);
    if (this.ended) throw new SocketError('conflict', 'The call has ended');
    if (p.state !== 'joined') throw new SocketError('conflict', 'Join the call first');
    const changed = p.muted !== muted || p.cameraOff !== cameraOff;
    p.muted = muted;
    p.cameraOff = cameraOff;
    return changed;
  }
}
