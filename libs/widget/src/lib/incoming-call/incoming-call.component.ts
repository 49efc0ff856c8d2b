import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { CallService } from '../calls/call.service';
import { SoundPlayer } from '../sounds/sound-player';

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
  protected readonly calls = inject(CallService);
  private readonly sounds = inject(SoundPlayer);

  protected readonly ringing = computed(() => this.sounds.playing().has('ringtone'));
  protected readonly soundBlocked = this.sounds.blocked;

  protected initials(name: string): string {
    return name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]?.toUpperCase())
      .join('');
  }

  protected hideImage(event: Event): void {
    (event.target as HTMLImageElement).style.display = 'none';
  }

  protected callBack(callerId: string, providerType: string, callId: string): void {
    this.calls.dismissMissed(callId);
    void this.calls.start({ kind: 'user', userId: callerId }, providerType);
  }
}
