import { Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy } from '@nestjs/common';
import type {
  ConnectorCall,
  ConnectorContext,
  ConnectorDefinition,
  ConnectorUser,
} from '@parley/connector-sdk';
import type {
  CallInfo,
  CallJoinResponse,
  CallStartRequest,
  UserProfile,
  UserSummary,
} from '@parley/protocol';
import { ProviderRegistry } from '@parley/server-conferencing';
import { UserService } from '@parley/server-directory';
import { randomUUID } from 'node:crypto';
import { CallError, CallMachine, END_REASONS, type CallTransition } from '../call-machine';
import {
  CALLS_OPTIONS,
  type CallsModuleOptions,
  DEFAULT_RECONNECT_GRACE_SECONDS,
  DEFAULT_RING_TIMEOUT_SECONDS,
} from '../calls.options';
import { CallEvents } from './call-events.service';
import { CallHistory } from './call-history.service';
import { PreferencesService } from './preferences.service';

/** Who sends a request: the user, and the tab (socket id) it came from. */
export interface CallActor {
  userId: string;
  socketId?: string;
}

interface LiveCall {
  machine: CallMachine;
  /** What connectors see (built once at start: the call path never waits on the database). */
  connectorCall: ConnectorCall;
  users: Map<string, ConnectorUser>;
  summaries: Map<string, UserSummary>;
  ringTimer?: NodeJS.Timeout;
}

/** Ended calls stay answerable (with a clear `conflict`) this long, then are forgotten. */
const ENDED_RETENTION_MS = 60_000;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The one call service, whatever the provider: the state machine of every call on this node in
 * memory, ringing (presence rule, one ring per user across tabs, timeout), busy detection, provider
 * hooks and `joinInfo`, pushes, and history written behind.
 */
@Injectable()
export class CallService implements OnModuleDestroy {
  private readonly logger = new Logger(CallService.name);
  private readonly calls = new Map<string, LiveCall>();
  /** userId -> id of the live call the user takes part in (at most one). */
  private readonly byUser = new Map<string, string>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  private readonly forgetTimers = new Set<NodeJS.Timeout>();
  readonly ringTimeoutMs: number;
  readonly reconnectGraceMs: number;

  constructor(
    private readonly users: UserService,
    private readonly registry: ProviderRegistry,
    private readonly history: CallHistory,
    private readonly preferences: PreferencesService,
    private readonly events: CallEvents,
    @Inject(CALLS_OPTIONS) options: CallsModuleOptions,
  ) {
    this.ringTimeoutMs = (options.ringTimeoutSeconds ?? DEFAULT_RING_TIMEOUT_SECONDS) * 1000;
    this.reconnectGraceMs = (options.reconnectGraceSeconds ?? DEFAULT_RECONNECT_GRACE_SECONDS) * 1000;
  }

  onModuleDestroy(): void {
    for (const live of this.calls.values()) clearTimeout(live.ringTimer);
    for (const timer of [...this.graceTimers.values(), ...this.forgetTimers]) clearTimeout(timer);
  }

  // ---- queries -------------------------------------------------------------------------------

  /** The live (not ended) call of a user, if any. */
  currentCallOf(userId: string): CallInfo | null {
    const id = this.byUser.get(userId);
    const live = id ? this.calls.get(id) : undefined;
    return live && !live.machine.ended ? live.machine.snapshot() : null;
  }

  /** A call the user takes part in (forbidden otherwise). */
  get(callId: string, userId: string): CallInfo {
    return this.live(callId, userId).machine.snapshot();
  }

  /** Whether the user is a joined participant of the live call (used by connectors' gateways). */
  isJoined(callId: string, userId: string): boolean {
    const live = this.calls.get(callId);
    return !!live && !live.machine.ended && live.machine.participant(userId)?.state === 'joined';
  }

  private live(callId: string, userId: string): LiveCall {
    const live = this.calls.get(callId);
    if (!live) throw new CallError('not_found', `Call ${callId} not found`);
    if (!live.machine.participant(userId)) {
      throw new CallError('forbidden', 'You are not a participant of this call');
    }
    return live;
  }

  // ---- requests ------------------------------------------------------------------------------

  /**
   * Places a call. Permissions: any two users of the directory may call each other (like eXo);
   * no shared room is needed. Returns the call: ringing, or already ended `missed` (callee dnd or
   * offline: a `call.missed` notice goes to the callee) or `busy` (callee in another call).
   */
  async start(actor: CallActor, request: CallStartRequest): Promise<CallInfo> {
    const { target, providerType } = request;
    if (target.kind !== 'user') {
      throw new CallError('bad_request', 'Group calls (room/space targets) are not supported yet');
    }
    if (target.userId === actor.userId) throw new CallError('bad_request', 'You cannot call yourself');
    const provider = this.registry.usable().find((p) => p.type === providerType);
    if (!provider) throw new CallError('not_found', `Provider ${providerType} is not available`);
    if (!provider.supportedTargets.includes('user')) {
      throw new CallError('bad_request', `Provider ${providerType} does not place one-to-one calls`);
    }
    const callee = await this.profile(target.userId, 'not_found');
    const caller = await this.profile(actor.userId, 'unauthorized');
    if (this.byUser.has(actor.userId)) {
      throw new CallError('conflict', 'You are already in a call: hang up first');
    }
    const calleeSummary = await this.summary(callee.id);
    const { context } = this.registry.connector(providerType);

    const now = new Date();
    const machine = new CallMachine({
      id: randomUUID(),
      providerType,
      target: { kind: 'user', userId: callee.id },
      callerId: caller.id,
      now,
    });
    const live: LiveCall = {
      machine,
      connectorCall: {
        id: machine.id,
        target: { kind: 'user', userId: callee.id },
        ownerId: caller.id,
        title: `${caller.displayName} – ${callee.displayName}`,
        createdAt: machine.info.createdAt,
      },
      users: new Map([
        [caller.id, this.connectorUser(caller, context)],
        [callee.id, this.connectorUser(callee, context)],
      ]),
      summaries: new Map([
        [caller.id, this.toSummary(caller)],
        [callee.id, calleeSummary],
      ]),
    };
    const created: CallTransition = {
      type: 'created',
      userId: caller.id,
      detail: null,
      at: now.toISOString(),
    };

    // Presence rule: ring only when available or away; dnd/offline get a missed-call notice.
    if (calleeSummary.presence === 'dnd' || calleeSummary.presence === 'offline') {
      const transitions = [
        created,
        ...machine.end('missed', END_REASONS.unavailable, now, null).map((t) => ({
          ...t,
          detail: `${END_REASONS.unavailable} (${calleeSummary.presence})`,
        })),
      ];
      this.history.record(machine.info, transitions);
      this.remember(live);
      this.events.push([callee.id], 'call.missed', {
        call: machine.snapshot(),
        caller: live.summaries.get(caller.id) as UserSummary,
      });
      return machine.snapshot();
    }
    if (this.byUser.has(callee.id)) {
      const transitions = [created, ...machine.end('busy', END_REASONS.busy, now, null)];
      this.history.record(machine.info, transitions);
      this.remember(live);
      return machine.snapshot();
    }

    this.calls.set(machine.id, live);
    this.byUser.set(caller.id, machine.id);
    this.byUser.set(callee.id, machine.id);
    live.ringTimer = setTimeout(() => this.onRingTimeout(machine.id), this.ringTimeoutMs);
    live.ringTimer.unref?.();
    this.history.record(machine.info, [
      created,
      { type: 'ringing', userId: callee.id, detail: null, at: created.at },
    ]);
    this.runHook(live, 'onCallCreated');
    const info = machine.snapshot();
    this.events.push([callee.id], 'call.incoming', {
      call: info,
      caller: live.summaries.get(caller.id) as UserSummary,
    });
    this.events.push([caller.id], 'call.updated', info, actor.socketId);
    return info;
  }

  /** The callee answers in one tab: the other tabs stop ringing; returns the callee's joinInfo. */
  async answer(actor: CallActor, callId: string): Promise<CallJoinResponse> {
    const live = this.live(callId, actor.userId);
    const transitions = live.machine.answer(actor.userId, new Date());
    clearTimeout(live.ringTimer);
    this.history.record(live.machine.info, transitions);
    this.events.push(
      [actor.userId],
      'call.ring.stop',
      { callId, reason: 'answered_elsewhere' },
      actor.socketId,
    );
    this.runHook(live, 'onCallStarted');
    return this.joined(live, actor);
  }

  /** The caller (after the answer) or a participant coming back joins the active call. */
  async join(actor: CallActor, callId: string): Promise<CallJoinResponse> {
    const live = this.live(callId, actor.userId);
    const transitions = live.machine.join(actor.userId, new Date());
    this.history.record(live.machine.info, transitions);
    return this.joined(live, actor);
  }

  private async joined(live: LiveCall, actor: CallActor): Promise<CallJoinResponse> {
    const user = live.users.get(actor.userId) as ConnectorUser;
    let joinInfo: Record<string, unknown>;
    try {
      joinInfo = await this.registry.joinInfo(live.machine.info.providerType, live.connectorCall, user);
      await this.callHook(live, 'onCallJoined', user);
    } catch (error) {
      const why = errorMessage(error);
      this.logger.error(`joinInfo of call ${live.machine.id} failed: ${why}`);
      if (!live.machine.ended)
        this.finish(live, live.machine.end('failed', END_REASONS.failed(why), new Date()));
      throw new CallError('internal', END_REASONS.failed(why));
    }
    const info = live.machine.snapshot();
    this.events.push(live.machine.participantIds, 'call.updated', info);
    return { call: info, joinInfo };
  }

  decline(actor: CallActor, callId: string): CallInfo {
    const live = this.live(callId, actor.userId);
    const transitions = live.machine.decline(actor.userId, new Date());
    this.events.push(
      [actor.userId],
      'call.ring.stop',
      { callId, reason: 'declined_elsewhere' },
      actor.socketId,
    );
    return this.finish(live, transitions);
  }

  cancel(actor: CallActor, callId: string): CallInfo {
    const live = this.live(callId, actor.userId);
    const transitions = live.machine.cancel(actor.userId, new Date());
    this.events.push(live.machine.calleeIds, 'call.ring.stop', { callId, reason: 'cancelled' });
    return this.finish(live, transitions);
  }

  hangup(actor: CallActor, callId: string): CallInfo {
    const live = this.live(callId, actor.userId);
    const wasRinging = live.machine.info.state === 'ringing';
    const name = live.summaries.get(actor.userId)?.displayName ?? 'The other participant';
    const transitions = live.machine.hangup(actor.userId, name, new Date());
    if (wasRinging) {
      const byCaller = actor.userId === live.machine.callerId;
      this.events.push(
        byCaller ? live.machine.calleeIds : [actor.userId],
        'call.ring.stop',
        { callId, reason: byCaller ? 'cancelled' : 'declined_elsewhere' },
        byCaller ? undefined : actor.socketId,
      );
    }
    return this.finish(live, transitions);
  }

  /** Own microphone/camera state: memory and a push only (the preference is saved behind). */
  media(actor: CallActor, callId: string, muted: boolean, cameraOff: boolean): CallInfo {
    const live = this.live(callId, actor.userId);
    const changed = live.machine.media(actor.userId, muted, cameraOff);
    const info = live.machine.snapshot();
    if (changed) {
      this.events.push(live.machine.participantIds, 'call.updated', info);
      this.preferences.rememberMedia(actor.userId, !muted, !cameraOff);
    }
    return info;
  }

  // ---- tabs ----------------------------------------------------------------------------------

  /** The user's last tab went away: leave their calls unless a tab comes back within the grace time. */
  userDisconnected(userId: string): void {
    if (!this.byUser.has(userId) || this.graceTimers.has(userId)) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(userId);
      const callId = this.byUser.get(userId);
      const live = callId ? this.calls.get(callId) : undefined;
      if (!live || live.machine.ended) return;
      const ringingCallee = live.machine.info.state === 'ringing' && userId !== live.machine.callerId;
      if (ringingCallee) return; // it rings out (missed) as it would with the tab open
      try {
        this.hangup({ userId }, live.machine.id);
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
  }

  // ---- internals -----------------------------------------------------------------------------

  private onRingTimeout(callId: string): void {
    const live = this.calls.get(callId);
    if (!live || live.machine.info.state !== 'ringing') return;
    const transitions = live.machine.timeout(new Date());
    this.events.push(live.machine.calleeIds, 'call.ring.stop', { callId, reason: 'missed' });
    this.events.push(live.machine.calleeIds, 'call.missed', {
      call: live.machine.snapshot(),
      caller: live.summaries.get(live.machine.callerId) as UserSummary,
    });
    this.finish(live, transitions);
  }

  /** After the machine ended a call: history, pushes, hooks, bookkeeping. */
  private finish(live: LiveCall, transitions: CallTransition[]): CallInfo {
    const { machine } = live;
    clearTimeout(live.ringTimer);
    this.history.record(machine.info, transitions);
    for (const userId of machine.participantIds) {
      if (this.byUser.get(userId) === machine.id) this.byUser.delete(userId);
    }
    const info = machine.snapshot();
    this.events.push(machine.participantIds, 'call.ended', { call: info, reason: info.endReason ?? '' });
    for (const t of transitions) {
      const user = t.type === 'left' && t.userId ? live.users.get(t.userId) : undefined;
      if (user) void this.callHook(live, 'onCallLeft', user).catch(() => undefined);
    }
    this.runHook(live, 'onCallEnded');
    this.remember(live);
    return info;
  }

  /** Keeps an ended call answerable for a while (late requests get a clear `conflict`). */
  private remember(live: LiveCall): void {
    this.calls.set(live.machine.id, live);
    const timer = setTimeout(() => {
      this.forgetTimers.delete(timer);
      if (this.calls.get(live.machine.id)?.machine.ended) this.calls.delete(live.machine.id);
    }, ENDED_RETENTION_MS);
    timer.unref?.();
    this.forgetTimers.add(timer);
  }

  private connector(live: LiveCall): { definition: ConnectorDefinition; context: ConnectorContext } | null {
    try {
      return this.registry.connector(live.machine.info.providerType);
    } catch {
      return null;
    }
  }

  private runHook(live: LiveCall, hook: 'onCallCreated' | 'onCallStarted' | 'onCallEnded'): void {
    const connector = this.connector(live);
    const fn = connector?.definition.hooks?.[hook];
    if (!connector || !fn) return;
    Promise.resolve()
      .then(() => fn.call(connector.definition.hooks, live.connectorCall, connector.context))
      .catch((error: unknown) =>
        this.logger.error(`${live.machine.info.providerType}.${hook} failed: ${errorMessage(error)}`),
      );
  }

  private async callHook(
    live: LiveCall,
    hook: 'onCallJoined' | 'onCallLeft',
    user: ConnectorUser,
  ): Promise<void> {
    const connector = this.connector(live);
    const fn = connector?.definition.hooks?.[hook];
    if (!connector || !fn) return;
    try {
      await fn.call(connector.definition.hooks, live.connectorCall, user, connector.context);
    } catch (error) {
      this.logger.error(`${live.machine.info.providerType}.${hook} failed: ${errorMessage(error)}`);
    }
  }

  private async profile(userId: string, code: 'not_found' | 'unauthorized'): Promise<UserProfile> {
    try {
      return await this.users.profile(userId);
    } catch (error) {
      if (error instanceof NotFoundException) {
        throw new CallError(code, code === 'not_found' ? `User ${userId} not found` : 'Sign in again');
      }
      throw error;
    }
  }

  private async summary(userId: string): Promise<UserSummary> {
    return this.users.toSummary(await this.users.findEntity(userId));
  }

  private toSummary(profile: UserProfile): UserSummary {
    return {
      id: profile.id,
      username: profile.username,
      displayName: profile.displayName,
      avatarUrl: profile.avatarUrl,
      presence: profile.presence,
    };
  }

  private connectorUser(profile: UserProfile, context: ConnectorContext): ConnectorUser {
    return {
      id: profile.id,
      username: profile.username,
      displayName: profile.displayName,
      email: profile.email,
      avatarUrl: /^https?:/.test(profile.avatarUrl)
        ? profile.avatarUrl
        : context.publicUrl + profile.avatarUrl,
      isAdmin: profile.isAdmin,
    };
  }
}
