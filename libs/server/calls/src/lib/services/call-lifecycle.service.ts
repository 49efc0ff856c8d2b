import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type {
  ConnectorContext,
  ConnectorDefinition,
  ConnectorUser,
  PreparedCall,
} from '@parley/connector-sdk';
import { CallPreparations, HOOK_TIMEOUT_MS, SocketError, within } from '@parley/connector-sdk';
import type { CallInfo, CallJoinResponse, CallRecordingInfo } from '@parley/protocol';
import { diffCall, errorMessage } from '@parley/protocol';
import { ProviderRegistry } from '@parley/server-conferencing';
import { END_REASONS, type CallTransition } from '../call-machine';
import {
  CALLS_OPTIONS,
  type CallsModuleOptions,
  DEFAULT_RECONNECT_GRACE_SECONDS,
  DEFAULT_RING_TIMEOUT_SECONDS,
} from '../calls.options';
import { CallEvents } from './call-events.service';
import { CallHistory } from './call-history.service';
import { LiveCalls, type LiveCall } from './live-calls';

/** Who sends a request: the user, and the tab (socket id) it came from. */
export interface CallActor {
  userId: string;
  socketId?: string;
}

export const NOT_A_MEMBER = 'You are not a member of this room';

type CallWideHook = 'onCallCreated' | 'onCallStarted' | 'onCallEnded';
type UserHook = 'onCallJoined' | 'onCallLeft';

/**
 * What every call shares, one-to-one or group, whatever the provider: access to the live calls of
 * this node ({@link LiveCalls}), joining's provider step (`joinInfo`), own media, tabs going and
 * coming back (the reconnect grace), pushes, provider hooks, and the end of a call (history,
 * `call.ended`, ended listeners). `OneToOneCalls` and `GroupCalls` build on it.
 */
@Injectable()
export class CallLifecycle implements OnModuleDestroy {
  private readonly logger = new Logger(CallLifecycle.name);
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** Told (synchronously) about every call that ends (the recording service stops its recording). */
  private readonly endedListeners = new Set<(call: CallInfo) => void>();
  /** The provider's `prepare` of each live call: one run per call id, shared by concurrent joins. */
  private readonly preparations = new CallPreparations();
  /** Each call's hooks, one after the other (the tail of its queue). */
  private readonly hookQueues = new Map<string, Promise<void>>();
  /** A ringing call with no answer ends `missed` after this long (one-to-one calls). */
  readonly ringTimeoutMs: number;
  readonly reconnectGraceMs: number;

  constructor(
    private readonly calls: LiveCalls,
    private readonly registry: ProviderRegistry,
    private readonly history: CallHistory,
    private readonly events: CallEvents,
    @Inject(CALLS_OPTIONS) options: CallsModuleOptions,
  ) {
    this.ringTimeoutMs = (options.ringTimeoutSeconds ?? DEFAULT_RING_TIMEOUT_SECONDS) * 1000;
    this.reconnectGraceMs = (options.reconnectGraceSeconds ?? DEFAULT_RECONNECT_GRACE_SECONDS) * 1000;
  }

  onModuleDestroy(): void {
    this.calls.close();
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
  }

  // ---- queries -------------------------------------------------------------------------------

  /** The live (not ended) call of a user, if any. */
  currentCallOf(userId: string): CallInfo | null {
    const live = this.calls.ofUser(userId);
    return live && !live.machine.ended ? live.machine.snapshot() : null;
  }

  /** A call the user takes part in (forbidden otherwise). */
  get(callId: string, userId: string): CallInfo {
    return this.access(callId, userId).machine.snapshot();
  }

  /** Whether the user is a joined participant of the live call (used by connectors' gateways). */
  isJoined(callId: string, userId: string): boolean {
    const live = this.calls.get(callId);
    return !!live && !live.machine.ended && live.machine.participant(userId)?.state === 'joined';
  }

  /**
   * The call for a request of `userId`: a member of its room (group) or a participant (one-to-one),
   * else `forbidden`. For the calls services (one-to-one, group, moderation); the gateway goes
   * through them.
   */
  access(callId: string, userId: string): LiveCall {
    const live = this.calls.get(callId);
    if (!live) throw new SocketError('not_found', `Call ${callId} not found`);
    if (live.room) {
      // Admitted guests act on the call they were let into (what they may do: guests/guest-access.ts).
      const member = live.room.memberIds.has(userId) || !!live.guests?.admitted.has(userId);
      if (!member) throw new SocketError('forbidden', NOT_A_MEMBER);
      return live;
    }
    if (!live.machine.participant(userId)) {
      throw new SocketError('forbidden', 'You are not a participant of this call');
    }
    return live;
  }

  /** Refused (`conflict`) when the user is in a call already: one call at a time. */
  requireFree(userId: string): void {
    if (this.calls.hasUser(userId)) {
      throw new SocketError('conflict', 'You are already in a call: hang up first');
    }
  }

  /** Display name of a member of a live call's room (or a participant), from memory. */
  memberName(callId: string, userId: string): string | null {
    return this.calls.get(callId)?.summaries.get(userId)?.displayName ?? null;
  }

  /** The id of a call's room member (or participant) by username (for `/call host @user`). */
  memberByUsername(callId: string, username: string): string | null {
    const live = this.calls.get(callId);
    for (const user of live?.users.values() ?? []) if (user.username === username) return user.id;
    return null;
  }

  // ---- in a call -----------------------------------------------------------------------------

  /**
   * A new call (ringing, or a room's new group call): the provider's `prepare` starts in the
   * background (joins wait for it), then the `onCallCreated` hook.
   */
  created(live: LiveCall): void {
    this.prepared(live).catch(() => undefined);
    this.runHook(live, 'onCallCreated');
  }

  /**
   * The call's prepared data (the provider's `prepare`, once per call; concurrent joins share the
   * run). Callers await it **before** the join's transition: a failure is answered `unavailable`
   * with the provider's message, leaves the call as it was, and the next join runs `prepare` again.
   */
  async prepared(live: LiveCall): Promise<PreparedCall> {
    const type = live.machine.info.providerType;
    try {
      return await this.preparations.get(live.machine.id, () =>
        this.registry.prepare(type, live.connectorCall),
      );
    } catch (error) {
      const why = errorMessage(error);
      this.logger.error(`${type}.prepare of call ${live.machine.id} failed: ${why}`);
      throw new SocketError('unavailable', `${this.providerTitle(type)} could not set up the call: ${why}`);
    }
  }

  /**
   * The joining user's provider step, after {@link prepared}: `joinInfo` (with the prepared data)
   * and the `onCallJoined` hook (after the call's earlier hooks); a `joinInfo` failure ends the call.
   */
  async joined(live: LiveCall, actor: CallActor, prepared: PreparedCall = {}): Promise<CallJoinResponse> {
    const user = live.users.get(actor.userId) as ConnectorUser;
    let joinInfo: Record<string, unknown>;
    try {
      const type = live.machine.info.providerType;
      joinInfo = await this.registry.joinInfo(type, live.connectorCall, user, prepared);
      await this.callHook(live, 'onCallJoined', user);
    } catch (error) {
      const why = errorMessage(error);
      this.logger.error(`joinInfo of call ${live.machine.id} failed: ${why}`);
      if (!live.machine.ended)
        this.finish(live, live.machine.end('failed', END_REASONS.failed(why), new Date()));
      throw new SocketError('internal', END_REASONS.failed(why));
    }
    // Whoever joins (or resumes from a new socket) gets the whole call, whatever they held before:
    // a push made while their socket was connecting may never have reached it.
    live.lastPush?.holders.delete(actor.userId);
    this.pushUpdate(live);
    return { call: live.machine.snapshot(), joinInfo };
  }

  /**
   * Own microphone/camera state: memory and a push only. Not saved as the user's preference here:
   * only the client knows whether a change was the user's choice (remembered through
   * `PUT /api/me/preferences`) or a lost device / closing page (not remembered).
   */
  media(actor: CallActor, callId: string, muted: boolean, cameraOff: boolean): CallInfo {
    const live = this.access(callId, actor.userId);
    if (live.machine.media(actor.userId, muted, cameraOff)) this.pushUpdate(live);
    return live.machine.snapshot();
  }

  /** Group: set or clear the recording in progress, pushed like any other change. */
  setRecording(callId: string, recording: CallRecordingInfo | null): void {
    const live = this.calls.get(callId);
    if (!live || live.machine.ended) return;
    live.machine.setRecording(recording);
    this.pushUpdate(live);
  }

  // ---- tabs ----------------------------------------------------------------------------------

  /**
   * The user's last tab went away: `leave(callId)` (a hang-up) unless a tab comes back within the
   * grace time. A ringing callee is left to ring out (missed) as with the tab open.
   */
  userDisconnected(userId: string, leave: (callId: string) => void): void {
    if (!this.calls.hasUser(userId) || this.graceTimers.has(userId)) return;
    const current = this.calls.ofUser(userId);
    if (current?.machine.setReconnecting(userId, true)) this.pushUpdate(current);
    const timer = setTimeout(() => {
      this.graceTimers.delete(userId);
      const live = this.calls.ofUser(userId);
      if (!live || live.machine.ended) return;
      const ringingCallee = live.machine.info.state === 'ringing' && userId !== live.machine.callerId;
      if (ringingCallee) return;
      try {
        leave(live.machine.id);
      } catch (error) {
        this.logger.warn(`Leaving call ${live.machine.id} after disconnect failed: ${errorMessage(error)}`);
      }
    }, this.reconnectGraceMs);
    timer.unref?.();
    this.graceTimers.set(userId, timer);
  }

  userConnected(userId: string): void {
    const timer = this.graceTimers.get(userId);
    if (timer) {
      clearTimeout(timer);
      this.graceTimers.delete(userId);
    }
    const live = this.calls.ofUser(userId);
    if (live?.machine.setReconnecting(userId, false)) this.pushUpdate(live);
  }

  // ---- pushes, hooks, the end ----------------------------------------------------------------

  /**
   * One-to-one: `call.updated` to both. Group: to the joined participants (and `extra`) who hold
   * the last pushed snapshot only what changed (`call.delta`), the whole call (`call.updated`) to
   * the others (just joined, back from a dropped socket); `call.room.updated` to the room's
   * members outside the call (the banner). So a join costs O(N) bytes, not O(N²).
   */
  pushUpdate(live: LiveCall, extra: string[] = []): void {
    if (!live.room) {
      this.events.push(live.machine.participantIds, 'call.updated', live.machine.snapshot());
      return;
    }
    const { machine } = live;
    const previous = live.lastPush;
    let info = machine.snapshot();
    const delta = previous ? diffCall(previous.info, { ...info, version: (info.version ?? 0) + 1 }) : null;
    const changed = !previous || delta !== null;
    if (changed) {
      machine.nextVersion();
      info = machine.snapshot();
    }
    const recipients = [...new Set([...machine.joinedIds, ...extra])];
    const holds = (id: string) => previous?.holders.has(id) ?? false;
    const fresh = recipients.filter((id) => !holds(id));
    const holding = recipients.filter(holds);
    if (fresh.length > 0) this.events.push(fresh, 'call.updated', info);
    if (delta && holding.length > 0) this.events.push(holding, 'call.delta', delta);
    // A participant whose last tab dropped may miss pushes: whole call again once back.
    const reconnecting = new Set(info.participants.filter((p) => p.reconnecting).map((p) => p.userId));
    live.lastPush = { info, holders: new Set(recipients.filter((id) => !reconnecting.has(id))) };
    if (changed) {
      const inCall = new Set(recipients);
      const outside = [...live.room.memberIds].filter((id) => !inCall.has(id));
      this.events.push(outside, 'call.room.updated', { roomId: live.room.id, call: info });
    }
  }

  /** Calls `listener` with the final snapshot of every call that ends; returns the unsubscribe. */
  onCallEnded(listener: (call: CallInfo) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** After the machine ended a call: history, pushes, hooks, bookkeeping. */
  finish(live: LiveCall, transitions: CallTransition[]): CallInfo {
    const { machine } = live;
    clearTimeout(live.ringTimer);
    this.history.record(machine.info, transitions);
    const info = machine.snapshot();
    this.events.push(machine.participantIds, 'call.ended', { call: info, reason: info.endReason ?? '' });
    if (live.room) {
      this.events.push([...live.room.memberIds], 'call.room.updated', { roomId: live.room.id, call: info });
    }
    for (const t of transitions) {
      const user = t.type === 'left' && t.userId ? live.users.get(t.userId) : undefined;
      if (user) void this.callHook(live, 'onCallLeft', user);
    }
    // `onCallEnded` comes last, after a `prepare` still under way has settled.
    const preparing = this.preparations.peek(machine.id);
    this.preparations.forget(machine.id);
    this.enqueue(live, () => preparing?.then(() => undefined));
    this.runHook(live, 'onCallEnded');
    this.enqueue(live, () => {
      this.hookQueues.delete(machine.id);
    });
    this.calls.ended(live);
    for (const listener of this.endedListeners) {
      try {
        listener(info);
      } catch (error) {
        this.logger.error(`A call-ended listener failed: ${errorMessage(error)}`);
      }
    }
    return info;
  }

  /** A call-wide provider hook, in the background, after the call's earlier hooks (a failure is logged). */
  runHook(live: LiveCall, hook: CallWideHook): void {
    void this.hook(live, hook);
  }

  /** A per-user provider hook, after the call's earlier hooks; resolves once it ran (never rejects). */
  callHook(live: LiveCall, hook: UserHook, user: ConnectorUser): Promise<void> {
    return this.hook(live, hook, user);
  }

  /**
   * Queues a hook of the call: awaited, one at a time per call, each limited to `HOOK_TIMEOUT_MS`;
   * a failure or a timeout is logged and the queue goes on.
   */
  private hook(live: LiveCall, hook: CallWideHook | UserHook, user?: ConnectorUser): Promise<void> {
    const connector = this.connector(live);
    const hooks = connector?.definition.hooks;
    const fn = hooks?.[hook] as ((...args: unknown[]) => unknown) | undefined;
    if (!connector || !fn) return this.hookQueues.get(live.machine.id) ?? Promise.resolve();
    const args = user
      ? [live.connectorCall, user, connector.context]
      : [live.connectorCall, connector.context];
    const type = live.machine.info.providerType;
    return this.enqueue(live, () =>
      within(
        HOOK_TIMEOUT_MS,
        Promise.resolve().then(() => fn.apply(hooks, args)),
        `did not return within ${HOOK_TIMEOUT_MS / 1000} s`,
      ).catch((error: unknown) => this.logger.error(`${type}.${hook} failed: ${errorMessage(error)}`)),
    );
  }

  /** Runs `step` after the call's queued hooks; the returned promise never rejects. */
  private enqueue(live: LiveCall, step: () => unknown): Promise<void> {
    const id = live.machine.id;
    const tail = (this.hookQueues.get(id) ?? Promise.resolve()).then(step).then(
      () => undefined,
      () => undefined,
    );
    this.hookQueues.set(id, tail);
    return tail;
  }

  /** A provider's title for end messages (its type when it is no longer registered). */
  providerTitle(type: string): string {
    try {
      return this.registry.connector(type).definition.title;
    } catch {
      return type;
    }
  }

  private connector(live: LiveCall): { definition: ConnectorDefinition; context: ConnectorContext } | null {
    try {
      return this.registry.connector(live.machine.info.providerType);
    } catch {
      return null;
    }
  }

  // ---- the server's drain (SIGTERM) ------------------------------------------------------------

  /** The calls of this node not ended yet (ringing or active). */
  liveCallCount(): number {
    let count = 0;
    for (const _live of this.calls.live()) count++;
    return count;
  }

  /**
   * Ends every live call of this node now, the way a host's "end for everyone" does ({@link finish}:
   * history, `call.ended` to the participants, hooks): `completed`, or `cancelled` while still
   * ringing. The server's drain does this when its grace is over. Returns the ended calls.
   */
  endAll(reason: string): CallInfo[] {
    const now = new Date();
    return [...this.calls.live()].map((live) => {
      const ringing = live.machine.info.state === 'ringing';
      if (ringing) {
        const callId = live.machine.id;
        this.events.push(live.machine.calleeIds, 'call.ring.stop', { callId, reason: 'cancelled' });
      }
      return this.finish(live, live.machine.end(ringing ? 'cancelled' : 'completed', reason, now));
    });
  }
}
