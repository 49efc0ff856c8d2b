import { DestroyRef, inject, Injectable } from '@angular/core';
import { applyCallDelta, type CallDelta, type CallInfo } from '@parley/protocol';
import { merge, type Observable, Subject } from 'rxjs';
import { ParleyWidgetHost } from '../host/widget-host';

/**
 * Every whole snapshot of a call this page learns of: `call.updated` as it comes, and a group
 * call's `call.delta` applied to the snapshot it was made from (the server sends a participant
 * who holds the call only what changed). A delta that does not fit — this tab missed a push or
 * opened after the call did — makes it ask for the user's calls again (`call.current`: deltas go
 * to participants only, guests included), once at a time per call. The snapshots of ended calls
 * are forgotten.
 */
@Injectable({ providedIn: 'root' })
export class CallUpdates {
  private readonly host = inject(ParleyWidgetHost);
  private readonly known = new Map<string, CallInfo>();
  private readonly refetching = new Set<string>();
  private readonly healed = new Subject<CallInfo>();

  /** A call's new whole snapshot (from `call.updated`, or a `call.delta` applied). */
  readonly updated$: Observable<CallInfo>;

  constructor() {
    const fromDeltas = new Subject<CallInfo>();
    const subs = [
      this.host.events('call.updated').subscribe((call) => this.remember(call)),
      this.host.events('call.room.updated').subscribe((event) => this.remember(event.call)),
      this.host.events('call.room.started').subscribe((event) => this.remember(event.call)),
      this.host.events('call.ended').subscribe((event) => this.known.delete(event.call.id)),
      this.host.events('call.delta').subscribe((delta) => {
        const next = this.apply(delta);
        if (next) fromDeltas.next(next);
      }),
    ];
    this.updated$ = merge(this.host.events('call.updated'), fromDeltas, this.healed);
    inject(DestroyRef).onDestroy(() => subs.forEach((sub) => sub.unsubscribe()));
  }

  private remember(call: CallInfo): void {
    if (call.state === 'ended') this.known.delete(call.id);
    else if ((call.version ?? 0) >= (this.known.get(call.id)?.version ?? -1)) this.known.set(call.id, call);
  }

  private apply(delta: CallDelta): CallInfo | null {
    const base = this.known.get(delta.callId);
    const next = base ? applyCallDelta(base, delta) : null;
    if (next) {
      this.remember(next);
      return next;
    }
    void this.refetch(delta.callId);
    return null;
  }

  /** The call again, whole, when a delta did not fit (one the user is no longer in is left). */
  private async refetch(callId: string): Promise<void> {
    if (this.refetching.has(callId)) return;
    this.refetching.add(callId);
    try {
      const calls = await this.host.request('call.current', {});
      const call = calls.find((c) => c.id === callId);
      if (call) {
        this.remember(call);
        this.healed.next(call);
      }
    } catch {
      // Offline or gone: the next whole snapshot (reconnect, rejoin) puts it right.
    } finally {
      this.refetching.delete(callId);
    }
  }
}
