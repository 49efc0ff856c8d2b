import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { CallInfo, UserSummary } from '@parley/protocol';
import { PARLEY_WIDGET_CONFIG } from '../config/widget-config';
import { ParleyWidgetHost } from '../host/widget-host';
import { SoundPlayer } from '../sounds/sound-player';

export interface IncomingRing {
  call: CallInfo;
  caller: UserSummary;
}

export interface MissedNotice {
  call: CallInfo;
  caller: UserSummary;
}

/** A group call started in a direct or group message (`ring: true`): a toast with Join. */
export interface GroupRing {
  call: CallInfo;
  roomId: string;
  roomTitle: string;
  startedBy: UserSummary;
}

/** How long a group ring toast stays (the call goes on; the banner remains). */
const GROUP_RING_MS = 30_000;

/**
 * What rings in this tab, from the server's pushes (every tab of the user gets them): one-to-one
 * calls with the ringtone until answered, declined, cancelled or answered in another tab; group
 * calls started in the user's direct and group messages; missed-call notices. The toasts render
 * these; answering and joining are the {@link CallService}'s.
 */
@Injectable({ providedIn: 'root' })
export class CallRings {
  private readonly host = inject(ParleyWidgetHost);
  private readonly sounds = inject(SoundPlayer);
  private readonly config = inject(PARLEY_WIDGET_CONFIG);

  private readonly ringsSignal = signal<readonly IncomingRing[]>([]);
  private readonly missedSignal = signal<readonly MissedNotice[]>([]);
  private readonly groupRingsSignal = signal<readonly GroupRing[]>([]);

  /** Calls ringing for this user (one toast each). */
  readonly rings = this.ringsSignal.asReadonly();
  readonly missed = this.missedSignal.asReadonly();
  /** Group calls started in this user's direct/group messages, offered with Join. */
  readonly groupRings = this.groupRingsSignal.asReadonly();

  constructor() {
    const subs = [
      this.host.events('call.incoming').subscribe((event) => this.ring(event.call, event.caller)),
      this.host.events('call.ring.stop').subscribe((event) => this.drop(event.callId)),
      this.host.events('call.updated').subscribe((call) => {
        if (call.state !== 'ringing') this.drop(call.id);
      }),
      this.host.events('call.ended').subscribe((event) => this.drop(event.call.id)),
      this.host.events('call.missed').subscribe((event) => this.miss(event.call, event.caller)),
      this.host.events('call.room.updated').subscribe((event) => {
        if (event.call.state === 'ended') this.dismissGroupRing(event.call.id);
      }),
      this.host.events('call.room.started').subscribe((event) => {
        if (!event.ring || event.startedBy.id === this.host.me()?.id) return;
        if (this.groupRingsSignal().some((r) => r.call.id === event.call.id)) return;
        const roomTitle = this.host.roomTitle(event.roomId) ?? 'a conversation';
        this.groupRingsSignal.update((list) => [
          ...list,
          { call: event.call, roomId: event.roomId, roomTitle, startedBy: event.startedBy },
        ]);
        setTimeout(() => this.dismissGroupRing(event.call.id), GROUP_RING_MS);
      }),
    ];
    inject(DestroyRef).onDestroy(() => subs.forEach((sub) => sub.unsubscribe()));
  }

  /** The ring of a call still ringing here, if any. */
  find(callId: string): IncomingRing | undefined {
    return this.ringsSignal().find((r) => r.call.id === callId);
  }

  findGroupRing(callId: string): GroupRing | undefined {
    return this.groupRingsSignal().find((r) => r.call.id === callId);
  }

  /** The toast goes (answered, declined, stopped); the ringtone stops with the last one. */
  drop(callId: string): void {
    if (!this.ringsSignal().some((r) => r.call.id === callId)) return;
    const left = this.ringsSignal().filter((r) => r.call.id !== callId);
    this.ringsSignal.set(left);
    if (left.length === 0) this.sounds.stop('ringtone');
  }

  dismissMissed(callId: string): void {
    this.missedSignal.update((list) => list.filter((m) => m.call.id !== callId));
  }

  dismissGroupRing(callId: string): void {
    if (!this.groupRingsSignal().some((r) => r.call.id === callId)) return;
    this.groupRingsSignal.update((list) => list.filter((r) => r.call.id !== callId));
  }

  private ring(call: CallInfo, caller: UserSummary): void {
    if (this.ringsSignal().some((r) => r.call.id === call.id)) return;
    this.ringsSignal.update((list) => [...list, { call, caller }]);
    this.sounds.play('ringtone');
    // Loads the call's client half while it rings, so that Answer connects at once (a tab that
    // never made a call has not loaded it yet). A failure shows when the user answers.
    void this.host.connector(call.providerType).catch(() => null);
  }

  private miss(call: CallInfo, caller: UserSummary): void {
    this.drop(call.id);
    if (this.missedSignal().some((m) => m.call.id === call.id)) return;
    this.missedSignal.update((list) => [...list, { call, caller }]);
    if (this.config.missedNoticeMs > 0) {
      setTimeout(() => this.dismissMissed(call.id), this.config.missedNoticeMs);
    }
  }
}
