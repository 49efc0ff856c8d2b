/**
 * The live calls of this node, in memory: each call by id, the call each user is in, the group
 * call of each room, and ended calls kept for a while so late requests get a clear answer. The
 * call hot path reads only this (never the database). One store, so that a shared one (Redis, for
 * several nodes) can take its place behind the same methods.
 */
import type { ConnectorCall, ConnectorUser } from '@parley/connector-sdk';
import type { CallInfo, RoomKind, UserSummary } from '@parley/protocol';
import type { CallMachine } from '../call-machine';
import type { CallGuests } from '../guests/guest-state';

export interface LiveCall {
  machine: CallMachine;
  /** What connectors see (built once at start: the call path never waits on the database). */
  connectorCall: ConnectorCall;
  users: Map<string, ConnectorUser>;
  summaries: Map<string, UserSummary>;
  ringTimer?: NodeJS.Timeout;
  /** Group calls: the room, its members read once at start (membership checks never wait on the database). */
  room?: { id: string; kind: RoomKind; memberIds: Set<string> };
  /** Group calls with guests: their links, lobby and admitted guests (`guests/guest-state.ts`). */
  guests?: CallGuests;
  /**
   * Group calls: the last snapshot pushed to the participants and who got it (connected then), so
   * the next change goes to them as a `call.delta` (`CallLifecycle.pushUpdate`).
   */
  lastPush?: { info: CallInfo; holders: Set<string> };
}

/** Ended calls stay answerable (with a clear `conflict`) this long, then are forgotten. */
export const ENDED_RETENTION_MS = 60_000;

/** What {@link SharedCallIndex.claim} found in the way: a user or the room already in a live call elsewhere. */
export type ClaimConflict = { kind: 'user'; userId: string } | { kind: 'room'; callId: string };

/**
 * Cluster mode's view of every node's calls (Redis): which call each user and room is in, and
 * which node hosts each call. This node's {@link LiveCalls} writes its changes through to it; the
 * busy and one-call-per-room checks claim there so that they hold across nodes.
 */
export interface SharedCallIndex {
  /**
   * Binds `userIds` (and the room) to `callId`, hosted on this node, unless one of them is
   * already in a live call on any node: then nothing is bound and the conflict is returned.
   */
  claim(callId: string, userIds: string[], roomId: string | null): Promise<ClaimConflict | null>;
  /** Whether a live node (this one or another) hosts `callId`. */
  alive(callId: string): Promise<boolean>;
  /** The user joined `callId` (already claimed). */
  bound(callId: string, userId: string): void;
  /** The user left `callId`. */
  released(callId: string, userId: string): void;
  /** The call ended: its users and room are free; requests for it still reach this node a while. */
  ended(callId: string, userIds: string[], roomId: string | null, retentionMs: number): void;
}

export class LiveCalls {
  private readonly calls = new Map<string, LiveCall>();
  /** The call each user is in (ringing, active, or joined). */
  private readonly byUser = new Map<string, string>();
  /** The group call of each room. */
  private readonly byRoom = new Map<string, string>();
  private readonly forgetTimers = new Set<NodeJS.Timeout>();
  private index?: SharedCallIndex;

  constructor(private readonly retentionMs = ENDED_RETENTION_MS) {}

  /** Cluster mode: every change is written through to the shared index too. */
  useIndex(index: SharedCallIndex): void {
    this.index = index;
  }

  /**
   * The cluster-wide part of the busy and one-call-per-room checks (the local part is
   * {@link hasUser} / {@link otherLiveCall} / {@link ofRoom}): on one node there is nothing more
   * to check. Binds the users there when none is taken.
   */
  async claim(
    callId: string,
    userIds: string[],
    roomId: string | null = null,
  ): Promise<ClaimConflict | null> {
    return this.index ? this.index.claim(callId, userIds, roomId) : null;
  }

  /** A call by id, live or recently ended. */
  get(callId: string): LiveCall | undefined {
    return this.calls.get(callId);
  }

  /** A new call, with the users it binds (caller and callee; a group call's starter) and its room. */
  add(live: LiveCall, userIds: string[]): void {
    this.calls.set(live.machine.id, live);
    for (const userId of userIds) this.byUser.set(userId, live.machine.id);
    if (live.room) this.byRoom.set(live.room.id, live.machine.id);
  }

  /** Whether the user is bound to a call (busy). */
  hasUser(userId: string): boolean {
    return this.byUser.has(userId);
  }

  /** The call the user is bound to, live or ended-but-remembered. */
  ofUser(userId: string): LiveCall | undefined {
    const id = this.byUser.get(userId);
    return id ? this.calls.get(id) : undefined;
  }

  /** The user's live call other than `callId`, if any. */
  otherLiveCall(userId: string, callId: string): LiveCall | undefined {
    const other = this.ofUser(userId);
    return other && other.machine.id !== callId && !other.machine.ended ? other : undefined;
  }

  /** Cluster mode: another live node hosts the call (so its open history row is not this node's to close). */
  async hostedElsewhere(callId: string): Promise<boolean> {
    if (!this.index || this.calls.has(callId)) return false;
    return this.index.alive(callId);
  }

  /** The user joins `live` (a group call). */
  bindUser(userId: string, live: LiveCall): void {
    this.byUser.set(userId, live.machine.id);
    this.index?.bound(live.machine.id, userId);
  }

  /** The user left `live`: unbound if bound to it (not if already in another call). */
  releaseUser(userId: string, live: LiveCall): void {
    if (this.byUser.get(userId) !== live.machine.id) return;
    this.byUser.delete(userId);
    this.index?.released(live.machine.id, userId);
  }

  /** The users bound to `live` here (what the shared index must say after Redis lost it). */
  boundUsers(live: LiveCall): string[] {
    return live.machine.participantIds.filter((id) => this.byUser.get(id) === live.machine.id);
  }

  /** The room's live group call, if any. */
  ofRoom(roomId: string): LiveCall | undefined {
    const id = this.byRoom.get(roomId);
    const live = id ? this.calls.get(id) : undefined;
    return live && !live.machine.ended ? live : undefined;
  }

  /**
   * The call ended (or ended as it was placed: busy, callee unavailable): its participants and
   * room are free again; it stays answerable for the retention time, then is forgotten.
   */
  ended(live: LiveCall): void {
    this.calls.set(live.machine.id, live);
    const released = live.machine.participantIds.filter((id) => this.byUser.get(id) === live.machine.id);
    for (const userId of released) this.byUser.delete(userId);
    if (live.room && this.byRoom.get(live.room.id) === live.machine.id) this.byRoom.delete(live.room.id);
    this.index?.ended(live.machine.id, live.machine.participantIds, live.room?.id ?? null, this.retentionMs);
    const timer = setTimeout(() => {
      this.forgetTimers.delete(timer);
      if (this.calls.get(live.machine.id)?.machine.ended) this.calls.delete(live.machine.id);
    }, this.retentionMs);
    timer.unref?.();
    this.forgetTimers.add(timer);
  }

  /** The calls not ended yet (ringing or active), for a look at this node's load (metrics). */
  *live(): IterableIterator<LiveCall> {
    for (const live of this.calls.values()) if (!live.machine.ended) yield live;
  }

  /** Shutdown: no timer left behind. */
  close(): void {
    for (const live of this.calls.values()) clearTimeout(live.ringTimer);
    for (const timer of this.forgetTimers) clearTimeout(timer);
    this.forgetTimers.clear();
  }
}
