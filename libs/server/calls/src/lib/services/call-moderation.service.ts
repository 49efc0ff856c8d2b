/**
 * What participants and hosts do inside a live call besides joining and leaving: hands, reactions,
 * the host's (or an admin's) moderation — mute, stop a screen share, lower a hand, remove, hand
 * over the host role, end for everyone — and `/call stats`. Memory and pushes only, like the rest of
 * the call path; the provider's media controls (the SFU) do the mute and stop.
 */
import { Injectable } from '@nestjs/common';
import { SocketError } from '@parley/connector-sdk';
import type { CallInfo, CallModerationAction } from '@parley/protocol';
import { END_REASONS } from '../call-machine';
import { CallEvents } from './call-events.service';
import { CallMediaControls } from './call-media-controls.service';
import { type CallActor, CallLifecycle } from './call-lifecycle.service';
import { GroupCalls } from './group-calls.service';
import type { LiveCall } from './live-calls';

@Injectable()
export class CallModeration {
  constructor(
    private readonly calls: CallLifecycle,
    private readonly groups: GroupCalls,
    private readonly events: CallEvents,
    private readonly mediaControls: CallMediaControls,
  ) {}

  /** Raise/lower one's own hand (joined participants). */
  hand(actor: CallActor, callId: string, raised: boolean): CallInfo {
    const live = this.calls.access(callId, actor.userId);
    if (live.machine.hand(actor.userId, raised, new Date())) this.calls.pushUpdate(live);
    return live.machine.snapshot();
  }

  /** An emoji reaction to every joined participant (not stored). */
  reaction(actor: CallActor, callId: string, emoji: string): void {
    const live = this.calls.access(callId, actor.userId);
    live.machine.requireJoined(actor.userId);
    this.events.push(live.machine.joinedIds, 'call.reaction', {
      callId,
      userId: actor.userId,
      emoji,
      at: new Date().toISOString(),
    });
  }

  /** Host/admin: mute one participant, or every other joined participant. */
  async hostMute(actor: CallActor, callId: string, userId?: string): Promise<CallInfo> {
    const live = this.hostCall(actor, callId);
    const targets = userId ? [userId] : live.machine.joinedIds.filter((id) => id !== actor.userId);
    for (const target of targets) {
      const p = live.machine.requireJoined(target);
      p.muted = true;
      await this.mediaControl(live)?.muteUser(callId, target);
      this.moderated(live, target, 'muted', actor.userId);
    }
    this.calls.pushUpdate(live);
    return live.machine.snapshot();
  }

  async hostStopScreenShare(actor: CallActor, callId: string, userId: string): Promise<CallInfo> {
    const live = this.hostCall(actor, callId);
    live.machine.requireJoined(userId);
    await this.mediaControl(live)?.stopScreenShare(callId, userId);
    this.moderated(live, userId, 'screenShareStopped', actor.userId);
    return live.machine.snapshot();
  }

  hostLowerHand(actor: CallActor, callId: string, userId: string): CallInfo {
    const live = this.hostCall(actor, callId);
    if (live.machine.hand(userId, false, new Date())) {
      this.moderated(live, userId, 'handLowered', actor.userId);
      this.calls.pushUpdate(live);
    }
    return live.machine.snapshot();
  }

  hostRemove(actor: CallActor, callId: string, userId: string): CallInfo {
    const live = this.hostCall(actor, callId);
    live.machine.requireJoined(userId);
    if (userId === actor.userId) throw new SocketError('bad_request', 'To leave, hang up');
    this.moderated(live, userId, 'removed', actor.userId);
    const name = live.summaries.get(actor.userId)?.displayName ?? 'the host';
    return this.groups.leave(live, userId, `removed by ${name}`);
  }

  hostTransfer(actor: CallActor, callId: string, userId: string): CallInfo {
    const live = this.hostCall(actor, callId);
    live.machine.setHost(userId);
    this.moderated(live, userId, 'madeHost', actor.userId);
    this.calls.pushUpdate(live);
    return live.machine.snapshot();
  }

  /** Host/admin: end the group call for everyone. */
  end(actor: CallActor, callId: string): CallInfo {
    const live = this.hostCall(actor, callId);
    const name = live.summaries.get(actor.userId)?.displayName ?? 'the host';
    return this.calls.finish(
      live,
      live.machine.end('completed', END_REASONS.endedBy(name), new Date(), actor.userId),
    );
  }

  /** `/call stats`: the user's media of a call, from the provider. */
  async mediaStats(actor: CallActor, callId: string): Promise<Record<string, unknown>> {
    const live = this.calls.access(callId, actor.userId);
    live.machine.requireJoined(actor.userId);
    const control = this.mediaControl(live);
    if (!control)
      throw new SocketError('not_found', `Provider ${live.machine.info.providerType} has no stats`);
    return control.stats(callId, actor.userId);
  }

  private hostCall(actor: CallActor, callId: string): LiveCall {
    const live = this.calls.access(callId, actor.userId);
    live.machine.requireHost(actor.userId, live.users.get(actor.userId)?.isAdmin === true);
    return live;
  }

  private moderated(live: LiveCall, userId: string, action: CallModerationAction, byUserId: string): void {
    this.events.push([userId], 'call.moderated', { callId: live.machine.id, action, byUserId });
  }

  private mediaControl(live: LiveCall) {
    return this.mediaControls.get(live.machine.info.providerType);
  }
}
