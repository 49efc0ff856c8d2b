import {
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { ConnectorContext, ConnectorDefinition, ConnectorUser } from '@parley/connector-sdk';
import type {
  CallInfo,
  CallJoinResponse,
  CallRecordingInfo,
  CallStartRequest,
  RoomCallInfo,
  RoomSummary,
  UserProfile,
  UserSummary,
} from '@parley/protocol';
import { errorMessage, roomCallLink } from '@parley/protocol';
import { ProviderRegistry } from '@parley/server-conferencing';
import { RoomService, UserService } from '@parley/server-directory';
import { randomUUID } from 'node:crypto';
import { SocketError } from '@parley/connector-sdk';
import { CallMachine, END_REASONS, type CallTransition } from '../call-machine';
import {
  CALLS_OPTIONS,
  type CallsModuleOptions,
  DEFAULT_MAX_PARTICIPANTS,
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

export const MAX_TITLE_LENGTH = 200;

const NOT_A_MEMBER = 'You are not a member of this room';

/**
 * The one call service, whatever the provider: the state machine of every call on this node in
 * memory, ringing (presence rule, one ring per user across tabs, timeout), busy detection, provider
 * hooks and `joinInfo`, pushes, and history written behind.
 */
@Injectable()
export class CallService implements OnModuleDestroy {
  private readonly logger = new Logger(CallService.name);
  private readonly calls = new LiveCalls();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** Told (synchronously) about every call that ends (the recording service stops its recording). */
  private readonly endedListeners = new Set<(call: CallInfo) => void>();
  readonly ringTimeoutMs: number;
  readonly reconnectGraceMs: number;
  readonly maxParticipants: number;

  constructor(
    private readonly users: UserService,
    private readonly rooms: RoomService,
    private readonly registry: ProviderRegistry,
    private readonly history: CallHistory,
    private readonly events: CallEvents,
    @Inject(CALLS_OPTIONS) options: CallsModuleOptions,
  ) {
    this.ringTimeoutMs = (options.ringTimeoutSeconds ?? DEFAULT_RING_TIMEOUT_SECONDS) * 1000;
    this.reconnectGraceMs = (options.reconnectGraceSeconds ?? DEFAULT_RECONNECT_GRACE_SECONDS) * 1000;
    this.maxParticipants = options.maxParticipants ?? DEFAULT_MAX_PARTICIPANTS;
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
   * else `forbidden`. For this service and its siblings (moderation); the gateway goes through them.
   */
  access(callId: string, userId: string): LiveCall {
    const live = this.calls.get(callId);
    if (!live) throw new SocketError('not_found', `Call ${callId} not found`);
    if (live.room) {
      if (!live.room.memberIds.has(userId)) throw new SocketError('forbidden', NOT_A_MEMBER);
      return live;
    }
    if (!live.machine.participant(userId)) {
      throw new SocketError('forbidden', 'You are not a participant of this call');
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
      return this.startGroup(actor, target.roomId, providerType, request.title ?? null);
    }
    if (target.userId === actor.userId) throw new SocketError('bad_request', 'You cannot call yourself');
    const provider = this.registry.usable().find((p) => p.type === providerType);
    if (!provider) throw new SocketError('not_found', `Provider ${providerType} is not available`);
    if (!provider.supportedTargets.includes('user')) {
      throw new SocketError('bad_request', `Provider ${providerType} does not place one-to-one calls`);
    }
    const callee = await this.profile(target.userId, 'not_found');
    const caller = await this.profile(actor.userId, 'unauthorized');
    if (this.calls.hasUser(actor.userId)) {
      throw new SocketError('conflict', 'You are already in a call: hang up first');
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
      this.calls.ended(live);
      this.events.push([callee.id], 'call.missed', {
        call: machine.snapshot(),
        caller: live.summaries.get(caller.id) as UserSummary,
      });
      return machine.snapshot();
    }
    if (this.calls.hasUser(callee.id)) {
      const transitions = [created, ...machine.end('busy', END_REASONS.busy, now, null)];
      this.history.record(machine.info, transitions);
      this.calls.ended(live);
      return machine.snapshot();
    }

    this.calls.add(live, [caller.id, callee.id]);
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
    const live = this.access(callId, actor.userId);
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
    const live = this.access(callId, actor.userId);
    if (live.room) {
      if (this.calls.otherLiveCall(actor.userId, callId)) {
        throw new SocketError('conflict', 'You are already in another call: leave it first');
      }
      if (!live.users.has(actor.userId)) throw new SocketError('forbidden', NOT_A_MEMBER);
    }
    const transitions = live.machine.join(actor.userId, new Date());
    this.history.record(live.machine.info, transitions);
    if (live.room) {
      this.calls.bindUser(actor.userId, live);
      this.userConnected(actor.userId);
    }
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
      throw new SocketError('internal', END_REASONS.failed(why));
    }
    const info = live.machine.snapshot();
    this.pushUpdate(live);
    return { call: info, joinInfo };
  }

  decline(actor: CallActor, callId: string): CallInfo {
    const live = this.access(callId, actor.userId);
    const transitions = live.machine.decline(actor.userId, new Date());
    this.events.push(
      [actor.userId],
      'call.ring.stop',
      { callId, reason: 'declined_elsewhere' },
      actor.socketId,
    );
    return this.finish(live, transitions);
  }

  /** A provider's title for end messages (its type when it is no longer registered). */
  private providerTitle(type: string): string {
    try {
      return this.registry.connector(type).definition.title;
    } catch {
      return type;
    }
  }

  cancel(actor: CallActor, callId: string): CallInfo {
    const live = this.access(callId, actor.userId);
    const transitions = live.machine.cancel(actor.userId, new Date());
    this.events.push(live.machine.calleeIds, 'call.ring.stop', { callId, reason: 'cancelled' });
    return this.finish(live, transitions);
  }

  hangup(actor: CallActor, callId: string, options: { providerUnavailable?: boolean } = {}): CallInfo {
    const live = this.access(callId, actor.userId);
    if (live.room) return this.leaveGroup(live, actor.userId, null);
    const wasRinging = live.machine.info.state === 'ringing';
    const name = live.summaries.get(actor.userId)?.displayName ?? 'The other participant';
    const lost = options.providerUnavailable ? this.providerTitle(live.machine.info.providerType) : null;
    const transitions = live.machine.hangup(actor.userId, name, new Date(), lost);
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

  /**
   * Own microphone/camera state: memory and a push only. Not saved as the user's preference here:
   * only the client knows whether a change was the user's choice (remembered through
   * `PUT /api/me/preferences`) or a lost device / closing page (not remembered).
   */
  media(actor: CallActor, callId: string, muted: boolean, cameraOff: boolean): CallInfo {
    const live = this.access(callId, actor.userId);
    const changed = live.machine.media(actor.userId, muted, cameraOff);
    const info = live.machine.snapshot();
    if (changed) this.pushUpdate(live);
    return info;
  }

  // ---- tabs ----------------------------------------------------------------------------------

  /** The user's last tab went away: leave their calls unless a tab comes back within the grace time. */
  userDisconnected(userId: string): void {
    if (!this.calls.hasUser(userId) || this.graceTimers.has(userId)) return;
    const current = this.calls.ofUser(userId);
    if (current?.machine.setReconnecting(userId, true)) this.pushUpdate(current);
    const timer = setTimeout(() => {
      this.graceTimers.delete(userId);
      const live = this.calls.ofUser(userId);
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
    const live = this.calls.ofUser(userId);
    if (live?.machine.setReconnecting(userId, false)) this.pushUpdate(live);
  }

  // ---- group calls ---------------------------------------------------------------------------

  /** The room's live group call, if any (no membership check: callers check). */
  roomCallId(roomId: string): string | null {
    return this.calls.ofRoom(roomId)?.machine.id ?? null;
  }

  /** The room's call banner: members only (read from the database: not a hot path). */
  async roomCall(userId: string, roomId: string): Promise<RoomCallInfo> {
    await this.roomFor(roomId, userId);
    const id = this.roomCallId(roomId);
    return { roomId, call: id ? this.snapshotOf(id) : null, link: roomCallLink(roomId) };
  }

  /** The permanent link: join the room's live call (members only), or start one and join it. */
  async roomJoin(actor: CallActor, roomId: string, providerType?: string): Promise<CallJoinResponse> {
    const id = this.roomCallId(roomId);
    if (id) return this.join(actor, id);
    const call = await this.startGroup(actor, roomId, providerType ?? this.roomProvider(), null);
    return this.join(actor, call.id);
  }

  /** The first usable provider that serves rooms (what `/call start` and the link use). */
  roomProvider(): string {
    const provider = this.registry.usable().find((p) => p.supportedTargets.includes('room'));
    if (!provider) throw new SocketError('not_found', 'No call provider for rooms is available');
    return provider.type;
  }

  /**
   * Starts the room's group call (members only), or returns the live one (one call per room). The
   * starter is joined and host; the room's members get `call.room.started` (no per-user ringing).
   */
  async startGroup(
    actor: CallActor,
    roomId: string,
    providerType: string,
    title: string | null,
  ): Promise<CallInfo> {
    const room = await this.roomFor(roomId, actor.userId);
    const existing = this.roomCallId(roomId);
    if (existing) return this.snapshotOf(existing);
    const provider = this.registry.usable().find((p) => p.type === providerType);
    if (!provider) throw new SocketError('not_found', `Provider ${providerType} is not available`);
    if (!provider.supportedTargets.includes('room')) {
      throw new SocketError('bad_request', `Provider ${providerType} does not place group calls`);
    }
    if (this.calls.hasUser(actor.userId)) {
      throw new SocketError('conflict', 'You are already in a call: hang up first');
    }
    const cleanTitle = title?.trim().slice(0, MAX_TITLE_LENGTH) || null;
    const { context } = this.registry.connector(providerType);
    // Every member's profile, read once: joins never wait on the database.
    const profiles = await Promise.all(room.memberIds.map((id) => this.profile(id, 'not_found')));
    const starter = profiles.find((p) => p.id === actor.userId) as UserProfile;
    if (this.roomCallId(roomId)) return this.snapshotOf(this.roomCallId(roomId) as string);
    const now = new Date();
    const machine = new CallMachine({
      id: randomUUID(),
      providerType,
      target: { kind: room.kind === 'space' ? 'space' : 'room', roomId },
      callerId: actor.userId,
      title: cleanTitle,
      maxParticipants: this.maxParticipants,
      now,
    });
    const live: LiveCall = {
      machine,
      connectorCall: {
        id: machine.id,
        target: machine.info.target,
        ownerId: roomId,
        title: cleanTitle ?? room.title,
        createdAt: machine.info.createdAt,
      },
      users: new Map(profiles.map((p) => [p.id, this.connectorUser(p, context)])),
      summaries: new Map(profiles.map((p) => [p.id, this.toSummary(p)])),
      room: { id: roomId, kind: room.kind, memberIds: new Set(room.memberIds) },
    };
    this.calls.add(live, [actor.userId]);
    const at = now.toISOString();
    this.history.record(machine.info, [
      { type: 'created', userId: actor.userId, detail: cleanTitle, at },
      { type: 'joined', userId: actor.userId, detail: null, at },
    ]);
    this.runHook(live, 'onCallCreated');
    this.runHook(live, 'onCallStarted');
    await this.postThread(live, actor.userId, cleanTitle ?? (room.kind === 'direct' ? null : room.title));
    if (machine.ended) return machine.snapshot();
    const info = machine.snapshot();
    this.events.push([...live.room!.memberIds], 'call.room.started', {
      roomId,
      call: info,
      startedBy: this.toSummary(starter),
      ring: room.kind === 'direct' || room.kind === 'group',
    });
    this.events.push([actor.userId], 'call.updated', info, actor.socketId);
    return info;
  }

  /**
   * The group call's chat: a "call started" root message in the room, posted as the starter; its
   * id is the call's `threadId`. Only the start waits on it (joins never do); when the post fails
   * the call goes on without a thread (`threadId: null`).
   */
  private async postThread(live: LiveCall, starterId: string, title: string | null): Promise<void> {
    const roomId = live.room?.id;
    if (!roomId) return;
    try {
      const root = await this.rooms.post(
        roomId,
        starterId,
        title ? `📞 Call started: ${title}` : '📞 Call started',
      );
      live.machine.setThread(root.id);
    } catch (error) {
      this.logger.error(
        `Call ${live.machine.id}: no chat thread, posting in room ${roomId} failed: ${errorMessage(error)}`,
      );
    }
  }

  /** Group: set or clear the recording in progress, pushed like any other change. */
  setRecording(callId: string, recording: CallRecordingInfo | null): void {
    const live = this.calls.get(callId);
    if (!live || live.machine.ended) return;
    live.machine.setRecording(recording);
    this.pushUpdate(live);
  }

  /** Calls `listener` with the final snapshot of every call that ends; returns the unsubscribe. */
  onCallEnded(listener: (call: CallInfo) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Display name of a member of a live call's room (or a participant), from memory. */
  memberName(callId: string, userId: string): string | null {
    return this.calls.get(callId)?.summaries.get(userId)?.displayName ?? null;
  }

  /** Display names/usernames of a call's room members (for `/call host @user`). */
  memberByUsername(callId: string, username: string): string | null {
    const live = this.calls.get(callId);
    for (const user of live?.users.values() ?? []) if (user.username === username) return user.id;
    return null;
  }

  /** A participant leaves a group call (hang-up, removal by the host); the last one ends it. */
  leaveGroup(live: LiveCall, userId: string, detail: string | null): CallInfo {
    const transitions = live.machine.leave(userId, new Date(), detail);
    this.calls.releaseUser(userId, live);
    const user = live.users.get(userId);
    if (live.machine.ended) return this.finish(live, transitions);
    this.history.record(live.machine.info, transitions);
    if (user) void this.callHook(live, 'onCallLeft', user);
    this.pushUpdate(live, [userId]);
    return live.machine.snapshot();
  }

  /** `call.updated` to the joined participants (and `extra`), `call.room.updated` to the room's members. */
  pushUpdate(live: LiveCall, extra: string[] = []): void {
    const info = live.machine.snapshot();
    if (!live.room) {
      this.events.push(live.machine.participantIds, 'call.updated', info);
      return;
    }
    this.events.push([...new Set([...live.machine.joinedIds, ...extra])], 'call.updated', info);
    this.events.push([...live.room.memberIds], 'call.room.updated', { roomId: live.room.id, call: info });
  }

  private snapshotOf(callId: string): CallInfo {
    return (this.calls.get(callId) as LiveCall).machine.snapshot();
  }

  private async roomFor(roomId: string, userId: string): Promise<RoomSummary> {
    try {
      return await this.rooms.getFor(roomId, userId);
    } catch (error) {
      if (error instanceof NotFoundException) throw new SocketError('not_found', `Room ${roomId} not found`);
      if (error instanceof ForbiddenException) throw new SocketError('forbidden', NOT_A_MEMBER);
      throw error;
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
      if (user) void this.callHook(live, 'onCallLeft', user).catch(() => undefined);
    }
    this.runHook(live, 'onCallEnded');
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
        throw new SocketError(code, code === 'not_found' ? `User ${userId} not found` : 'Sign in again');
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
