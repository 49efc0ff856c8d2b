import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { GroupRing, IncomingRing, MissedNotice } from '../calls/call-rings';
import { CallService } from '../calls/call.service';
import { initials } from '../group-call/initials';
import { SoundPlayer } from '../sounds/sound-player';

/** A button of a toast: `decline` (red: decline, dismiss) or `answer` (green: answer, join, call back). */
interface ToastAction {
  readonly kind: 'decline' | 'answer';
  readonly testid: string;
  readonly text: string;
  readonly label: string | null;
  readonly disabled: boolean;
  readonly run: () => unknown;
}

/** A toast of the stack (a group call's ring, a call's ring or a missed call), as the template shows it. */
interface Toast {
  readonly key: string;
  readonly testid: 'group-call-ring' | 'incoming-call' | 'missed-call';
  readonly role: 'alertdialog' | 'status';
  readonly callId: string;
  /** The starter's or caller's avatar; none: the missed-call icon. */
  readonly avatar: { readonly initials: string; readonly url: string | null; readonly pulse: boolean } | null;
  readonly title: string;
  readonly titleTestid: string | null;
  readonly sub: string;
  /** The ids of the title and the sub line (`aria-labelledby`, `aria-describedby`). */
  readonly titleId: string | null;
  readonly subId: string | null;
  /** The other `data-` attributes of the toast. */
  readonly data: { readonly roomId?: string; readonly ringing?: boolean; readonly soundBlocked?: boolean };
  readonly actions: readonly [ToastAction, ToastAction];
}

function action(
  kind: ToastAction['kind'],
  testid: string,
  text: string,
  label: string | null,
  run: () => unknown,
): ToastAction {
  return { kind, testid, text, label, disabled: false, run };
}

function avatar(person: { displayName: string; avatarUrl?: string | null }, pulse: boolean): Toast['avatar'] {
  return { initials: initials(person.displayName), url: person.avatarUrl ?? null, pulse };
}

/**
 * Incoming-call toasts, bottom-right, on whatever page the user is: caller avatar,
 * "<name> is calling you", Answer / Decline, with the ringtone. Also the missed-call notices.
 * Mount it once per page (the portal's shell does).
 */
@Component({
  selector: 'parley-incoming-call',
  templateUrl: './incoming-call.component.html',
  styleUrl: './incoming-call.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IncomingCallComponent {
  private readonly calls = inject(CallService);
  private readonly sounds = inject(SoundPlayer);

  /** The toasts, top down: group calls' rings, rings, missed calls. */
  protected readonly toasts = computed((): Toast[] => [
    ...this.calls.groupRings().map((ring) => this.groupRingToast(ring)),
    ...this.calls.rings().map((ring) => this.ringToast(ring)),
    ...this.calls.missed().map((notice) => this.missedToast(notice)),
  ]);

  protected hideImage(event: Event): void {
    (event.target as HTMLImageElement).style.display = 'none';
  }

  private groupRingToast(ring: GroupRing): Toast {
    const id = ring.call.id;
    const where = `the call in ${ring.roomTitle}`;
    const join = action('answer', 'group-call-ring-join', 'Join', `Join ${where}`, () =>
      this.calls.joinGroupRing(id),
    );
    return {
      key: `group-ring:${id}`,
      testid: 'group-call-ring',
      role: 'alertdialog',
      callId: id,
      avatar: avatar(ring.startedBy, false),
      title: `${ring.startedBy.displayName} started a call`,
      titleTestid: 'group-call-ring-title',
      sub: `in ${ring.roomTitle}`,
      titleId: `parley-group-ring-${id}`,
      subId: null,
      data: { roomId: ring.roomId },
      actions: [
        action('decline', 'group-call-ring-dismiss', 'Dismiss', `Dismiss ${where}`, () =>
          this.calls.dismissGroupRing(id),
        ),
        { ...join, disabled: this.calls.busy() },
      ],
    };
  }

  private ringToast(ring: IncomingRing): Toast {
    const id = ring.call.id;
    const from = `the call from ${ring.caller.displayName}`;
    const soundBlocked = this.sounds.blocked();
    return {
      key: `ring:${id}`,
      testid: 'incoming-call',
      role: 'alertdialog',
      callId: id,
      avatar: avatar(ring.caller, true),
      title: `${ring.caller.displayName} is calling you`,
      titleTestid: 'incoming-call-title',
      sub: soundBlocked ? 'Incoming call (click anywhere to enable sound)' : 'Incoming call',
      titleId: `parley-ring-${id}`,
      subId: `parley-ring-desc-${id}`,
      data: { ringing: this.sounds.playing().has('ringtone'), soundBlocked },
      actions: [
        action('decline', 'incoming-call-decline', 'Decline', `Decline ${from}`, () =>
          this.calls.decline(id),
        ),
        action('answer', 'incoming-call-answer', 'Answer', `Answer ${from}`, () => this.calls.answer(id)),
      ],
    };
  }

  private missedToast(notice: MissedNotice): Toast {
    const { call, caller } = notice;
    const from = `the missed call from ${caller.displayName}`;
    return {
      key: `missed:${call.id}`,
      testid: 'missed-call',
      role: 'status',
      callId: call.id,
      avatar: null,
      title: `Missed call from ${caller.displayName}`,
      titleTestid: null,
      sub: call.endReason ?? 'No answer',
      titleId: null,
      subId: null,
      data: {},
      actions: [
        action('decline', 'missed-call-dismiss', 'Dismiss', `Dismiss ${from}`, () =>
          this.calls.dismissMissed(call.id),
        ),
        action('answer', 'missed-call-back', 'Call back', null, () =>
          this.callBack(caller.id, call.providerType, call.id),
        ),
      ],
    };
  }

  private callBack(callerId: string, providerType: string, callId: string): void {
    this.calls.dismissMissed(callId);
    void this.calls.start({ kind: 'user', userId: callerId }, providerType);
  }
}
