import { Injectable } from '@nestjs/common';
import type { CallInfo, CallJoinResponse, CallStartRequest } from '@parley/protocol';
import { type CallActor, CallLifecycle } from './call-lifecycle.service';
import { GroupCalls } from './group-calls.service';
import { OneToOneCalls } from './one-to-one-calls.service';

/**
 * The requests that work on either kind of call, routed to {@link OneToOneCalls} or
 * {@link GroupCalls}: start (by target), join and hang up (by the call), and the user's last tab
 * going away (a hang-up after the reconnect grace). Everything else goes to those services, or to
 * {@link CallLifecycle} for what every call shares.
 */
@Injectable()
export class CallService {
  constructor(
    private readonly lifecycle: CallLifecycle,
    private readonly oneToOne: OneToOneCalls,
    private readonly groups: GroupCalls,
  ) {}

  /** Rings one user (`target.kind: 'user'`), or starts/returns a room's group call. */
  start(actor: CallActor, request: CallStartRequest): Promise<CallInfo> {
    const { target, providerType } = request;
    if (target.kind === 'user') return this.oneToOne.start(actor, target.userId, providerType);
    return this.groups.start(actor, target.roomId, providerType, request.title ?? null);
  }

  /** The caller (after the answer) or a participant coming back joins; a room's member joins its call. */
  join(actor: CallActor, callId: string): Promise<CallJoinResponse> {
    const live = this.lifecycle.access(callId, actor.userId);
    return live.room ? this.groups.join(actor, live) : this.oneToOne.join(actor, live);
  }

  hangup(actor: CallActor, callId: string, options: { providerUnavailable?: boolean } = {}): CallInfo {
    const live = this.lifecycle.access(callId, actor.userId);
    if (live.room) return this.groups.leave(live, actor.userId, null);
    return this.oneToOne.hangup(actor, live, options);
  }

  /** The user's last tab went away: they leave their call unless a tab comes back within the grace time. */
  userDisconnected(userId: string): void {
    this.lifecycle.userDisconnected(userId, (callId) => this.hangup({ userId }, callId));
  }
}
