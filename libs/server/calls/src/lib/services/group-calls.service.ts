import { ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { SocketError } from '@parley/connector-sdk';
import type { CallInfo, CallJoinResponse, RoomCallInfo, RoomSummary, UserProfile } from '@parley/protocol';
import { errorMessage, roomCallLink } from '@parley/protocol';
import { ProviderRegistry } from '@parley/server-conferencing';
import { RoomService } from '@parley/server-directory';
import { CallAdmission } from './call-admission';
import { CallEvents } from './call-events.service';
import { CallHistory } from './call-history.service';
import { type CallActor, CallLifecycle, NOT_A_MEMBER } from './call-lifecycle.service';
import { LiveCallFactory } from './live-call.factory';
import { LiveCalls, type LiveCall } from './live-calls';

export const MAX_TITLE_LENGTH = 200;

/**
 * Group calls in rooms: one live call per room, members only (the members cached with the call so
 * joins never read the database), no per-user ringing (`call.room.started/updated` to the members),
 * the call's chat thread, the permanent room link, joining and leaving (the last one out ends it).
 */
@Injectable()
export class GroupCalls {
  private readonly logger = new Logger(GroupCalls.name);

  constructor(
    private readonly lifecycle: CallLifecycle,
    private readonly calls: LiveCalls,
    private readonly factory: LiveCallFactory,
    private readonly rooms: RoomService,
    private readonly registry: ProviderRegistry,
    private readonly history: CallHistory,
    private readonly events: CallEvents,
    private readonly admission: CallAdmission,
  ) {}

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
    if (id) return this.join(actor, this.lifecycle.access(id, actor.userId));
    const call = await this.start(actor, roomId, providerType ?? this.roomProvider(), null);
    return this.join(actor, this.lifecycle.access(call.id, actor.userId));
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
  async start(
    actor: CallActor,
    roomId: string,
    providerType: string,
    title: string | null,
  ): Promise<CallInfo> {
    const room = await this.roomFor(roomId, actor.userId);
    const existing = this.roomCallId(roomId);
    if (existing) return this.snapshotOf(existing);
    this.admission.requireOpen();
    this.factory.requireProvider(providerType, 'room');
    this.lifecycle.requireFree(actor.userId);
    const cleanTitle = title?.trim().slice(0, MAX_TITLE_LENGTH) || null;
    // Every member's profile, read once: joins never wait on the database.
    const profiles = await Promise.all(room.memberIds.map((id) => this.factory.profile(id, 'not_found')));
    const starter = profiles.find((p) => p.id === actor.userId) as UserProfile;
    const raced = this.roomCallId(roomId);
    if (raced) return this.snapshotOf(raced);
    const now = new Date();
    const live = this.factory.group(providerType, actor.userId, room, profiles, cleanTitle, now);
    const { machine } = live;
    // One call per room and one call per user on every node (cluster mode).
    const conflict = await this.calls.claim(machine.id, [actor.userId], roomId);
    if (conflict?.kind === 'user')
      throw new SocketError('conflict', 'You are already in a call: hang up first');
    if (conflict) throw new SocketError('conflict', 'A call has just started in this room: join it');
    const settled = this.roomCallId(roomId);
    if (settled) return this.snapshotOf(settled);
    this.calls.add(live, [actor.userId]);
    const at = now.toISOString();
    this.history.record(machine.info, [
      { type: 'created', userId: actor.userId, detail: cleanTitle, at },
      { type: 'joined', userId: actor.userId, detail: null, at },
    ]);
    this.lifecycle.created(live);
    this.lifecycle.runHook(live, 'onCallStarted');
    await this.postThread(live, actor.userId, cleanTitle ?? (room.kind === 'direct' ? null : room.title));
    if (machine.ended) return machine.snapshot();
    const info = machine.snapshot();
    this.events.push([...live.room!.memberIds], 'call.room.started', {
      roomId,
      call: info,
      startedBy: this.factory.toSummary(starter),
      ring: room.kind === 'direct' || room.kind === 'group',
    });
    this.events.push([actor.userId], 'call.updated', info, actor.socketId);
    return info;
  }

  /** A member joins the room's call (not while in another call), up to its max participants. */
  async join(actor: CallActor, live: LiveCall): Promise<CallJoinResponse> {
    if (this.calls.otherLiveCall(actor.userId, live.machine.id)) {
      throw new SocketError('conflict', 'You are already in another call: leave it first');
    }
    if (!live.users.has(actor.userId)) throw new SocketError('forbidden', NOT_A_MEMBER);
    // The provider's `prepare` (once per call) before the join: a failure leaves the call as it was.
    const prepared = await this.lifecycle.prepared(live);
    if (
      this.calls.otherLiveCall(actor.userId, live.machine.id) ||
      (await this.calls.claim(live.machine.id, [actor.userId]))
    ) {
      throw new SocketError('conflict', 'You are already in another call: leave it first');
    }
    this.history.record(live.machine.info, live.machine.join(actor.userId, new Date()));
    this.calls.bindUser(actor.userId, live);
    this.lifecycle.userConnected(actor.userId);
    return this.lifecycle.joined(live, actor, prepared);
  }

  /** The user hangs up the group call `callId` (members only). */
  hangup(actor: CallActor, callId: string): CallInfo {
    return this.leave(this.lifecycle.access(callId, actor.userId), actor.userId, null);
  }

  /** A participant leaves a group call (hang-up, removal by the host); the last one ends it. */
  leave(live: LiveCall, userId: string, detail: string | null): CallInfo {
    const transitions = live.machine.leave(userId, new Date(), detail);
    this.calls.releaseUser(userId, live);
    const user = live.users.get(userId);
    if (live.machine.ended) return this.lifecycle.finish(live, transitions);
    this.history.record(live.machine.info, transitions);
    if (user) void this.lifecycle.callHook(live, 'onCallLeft', user);
    this.lifecycle.pushUpdate(live, [userId]);
    return live.machine.snapshot();
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
}
