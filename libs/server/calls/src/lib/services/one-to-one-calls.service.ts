import { Injectable } from '@nestjs/common';
import { SocketError } from '@parley/connector-sdk';
import type { CallInfo, CallJoinResponse, UserSummary } from '@parley/protocol';
import { END_REASONS, type CallTransition } from '../call-machine';
import { CallAdmission } from './call-admission';
import { CallEvents } from './call-events.service';
import { CallHistory } from './call-history.service';
import { CallImAccounts } from './call-im-accounts.service';
import { type CallActor, CallLifecycle } from './call-lifecycle.service';
import { LiveCallFactory } from './live-call.factory';
import { LiveCalls, type LiveCall } from './live-calls';

/**
 * One-to-one calls: placing one (presence rule, busy), ringing every tab of the callee (one ring
 * per user, the ring timeout), answering in one tab, declining, cancelling and hanging up.
 */
@Injectable()
export class OneToOneCalls {
  constructor(
    private readonly lifecycle: CallLifecycle,
    private readonly calls: LiveCalls,
    private readonly factory: LiveCallFactory,
    private readonly history: CallHistory,
    private readonly events: CallEvents,
    private readonly admission: CallAdmission,
    private readonly imAccounts: CallImAccounts,
  ) {}

  /**
   * Places a call. Permissions: any two users of the directory may call each other (like eXo);
   * no shared room is needed. Returns the call: ringing, or already ended `missed` (callee dnd or
   * offline: a `call.missed` notice goes to the callee) or `busy` (callee in another call).
   */
  async start(actor: CallActor, calleeId: string, providerType: string): Promise<CallInfo> {
    this.admission.requireOpen();
    if (calleeId === actor.userId) throw new SocketError('bad_request', 'You cannot call yourself');
    this.factory.requireProvider(providerType, 'user');
    const callee = await this.factory.profile(calleeId, 'not_found');
    const caller = await this.factory.profile(actor.userId, 'unauthorized');
    this.lifecycle.requireFree(actor.userId);
    const imAccounts = await this.imAccounts.forCall(providerType, caller, callee);
    const calleeSummary = await this.factory.summary(callee.id);
    const now = new Date();
    const live = this.factory.oneToOne(providerType, caller, callee, calleeSummary, now, imAccounts);
    const { machine } = live;
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
      this.events.push([callee.id], 'call.missed', { call: machine.snapshot(), caller: this.caller(live) });
      return machine.snapshot();
    }
    // Busy on any node (cluster mode: the shared index; the caller may be in a call elsewhere too).
    const conflict = this.calls.hasUser(callee.id)
      ? null
      : await this.calls.claim(machine.id, [caller.id, callee.id]);
    if (conflict?.kind === 'user' && conflict.userId === caller.id) {
      throw new SocketError('conflict', 'You are already in a call: hang up first');
    }
    if (conflict || this.calls.hasUser(callee.id)) {
      this.history.record(machine.info, [created, ...machine.end('busy', END_REASONS.busy, now, null)]);
      this.calls.ended(live);
      return machine.snapshot();
    }

    this.calls.add(live, [caller.id, callee.id]);
    live.ringTimer = setTimeout(() => this.onRingTimeout(machine.id), this.lifecycle.ringTimeoutMs);
    live.ringTimer.unref?.();
    this.history.record(machine.info, [
      created,
      { type: 'ringing', userId: callee.id, detail: null, at: created.at },
    ]);
    this.lifecycle.created(live);
    const info = machine.snapshot();
    this.events.push([callee.id], 'call.incoming', { call: info, caller: this.caller(live) });
    this.events.push([caller.id], 'call.updated', info, actor.socketId);
    return info;
  }

  /**
   * The callee answers in one tab: the other tabs stop ringing; returns the callee's joinInfo. The
   * answer waits for the provider's `prepare` of the call; when it fails the call keeps ringing.
   */
  async answer(actor: CallActor, callId: string): Promise<CallJoinResponse> {
    const live = this.lifecycle.access(callId, actor.userId);
    const prepared = await this.lifecycle.prepared(live);
    const transitions = live.machine.answer(actor.userId, new Date());
    clearTimeout(live.ringTimer);
    this.history.record(live.machine.info, transitions);
    this.events.push(
      [actor.userId],
      'call.ring.stop',
      { callId, reason: 'answered_elsewhere' },
      actor.socketId,
    );
    this.lifecycle.runHook(live, 'onCallStarted');
    return this.lifecycle.joined(live, actor, prepared);
  }

  /** The caller (after the answer) or a participant coming back joins the active call. */
  async join(actor: CallActor, live: LiveCall): Promise<CallJoinResponse> {
    const prepared = await this.lifecycle.prepared(live);
    this.history.record(live.machine.info, live.machine.join(actor.userId, new Date()));
    return this.lifecycle.joined(live, actor, prepared);
  }

  /** The callee declines; `noMedia`: they answered without camera/microphone access (`failed`). */
  decline(actor: CallActor, callId: string, options: { noMedia?: boolean } = {}): CallInfo {
    const live = this.lifecycle.access(callId, actor.userId);
    const transitions = live.machine.decline(actor.userId, new Date(), options.noMedia === true);
    this.events.push(
      [actor.userId],
      'call.ring.stop',
      { callId, reason: 'declined_elsewhere' },
      actor.socketId,
    );
    return this.lifecycle.finish(live, transitions);
  }

  cancel(actor: CallActor, callId: string): CallInfo {
    const live = this.lifecycle.access(callId, actor.userId);
    const transitions = live.machine.cancel(actor.userId, new Date());
    this.events.push(live.machine.calleeIds, 'call.ring.stop', { callId, reason: 'cancelled' });
    return this.lifecycle.finish(live, transitions);
  }

  /**
   * Hang up: while ringing the caller cancels and the callee declines (their other tabs stop
   * ringing); once active the call ends, `failed` when the user's client lost the provider.
   */
  hangup(actor: CallActor, live: LiveCall, options: { providerUnavailable?: boolean } = {}): CallInfo {
    const callId = live.machine.id;
    const wasRinging = live.machine.info.state === 'ringing';
    const name = live.summaries.get(actor.userId)?.displayName ?? 'The other participant';
    const lost = options.providerUnavailable
      ? this.lifecycle.providerTitle(live.machine.info.providerType)
      : null;
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
    return this.lifecycle.finish(live, transitions);
  }

  private onRingTimeout(callId: string): void {
    const live = this.calls.get(callId);
    if (!live || live.machine.info.state !== 'ringing') return;
    const transitions = live.machine.timeout(new Date());
    this.events.push(live.machine.calleeIds, 'call.ring.stop', { callId, reason: 'missed' });
    this.events.push(live.machine.calleeIds, 'call.missed', {
      call: live.machine.snapshot(),
      caller: this.caller(live),
    });
    this.lifecycle.finish(live, transitions);
  }

  private caller(live: LiveCall): UserSummary {
    return live.summaries.get(live.machine.callerId) as UserSummary;
  }
}
