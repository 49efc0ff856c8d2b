import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import { CallService } from '../calls/call.service';
import { formatDuration } from '../call-window/call-window.component';
import { ParleyWidgetHost } from '../host/widget-host';
import { initials } from './initials';
import { RoomCallsStore } from './room-calls.store';

/** At most this many avatars; the rest is "+N". */
const MAX_AVATARS = 5;

/**
 * The banner of a room whose group call is live: the participants' avatars, the duration and
 * Join (or "You are in this call"). Nothing when there is no call (or the user is not a member).
 */
@Component({
  selector: 'parley-call-banner',
  templateUrl: './call-banner.component.html',
  styleUrl: './call-banner.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallBannerComponent {
  private readonly store = inject(RoomCallsStore);
  private readonly host = inject(ParleyWidgetHost);
  protected readonly calls = inject(CallService);
  private readonly now = signal(Date.now());

  readonly roomId = input.required<string>();

  protected readonly call = computed(() => this.store.get(this.roomId())?.call ?? null);
  protected readonly joined = computed(
    () => this.call()?.participants.filter((p) => p.state === 'joined') ?? [],
  );
  protected readonly avatars = computed(() => {
    const users = this.host.users();
    return this.joined()
      .slice(0, MAX_AVATARS)
      .map((p) => {
        const user = users.get(p.userId);
        const name = user?.displayName ?? 'Participant';
        return { userId: p.userId, name, avatarUrl: user?.avatarUrl ?? null, initials: initials(name) };
      });
  });
  protected readonly more = computed(() => Math.max(0, this.joined().length - MAX_AVATARS));
  protected readonly inThisCall = computed(() => {
    const session = this.calls.session();
    return !!session && session.phase !== 'ended' && session.call?.id === this.call()?.id;
  });
  protected readonly duration = computed(() => {
    const since = this.call()?.answeredAt ?? this.call()?.createdAt;
    return since ? formatDuration(this.now() - Date.parse(since)) : '';
  });

  constructor() {
    effect((onCleanup) => onCleanup(this.store.watch(this.roomId())));
    const timer = setInterval(() => {
      if (this.call()) this.now.set(Date.now());
    }, 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected join(): void {
    const call = this.call();
    void this.calls.joinRoom(this.roomId(), call?.providerType);
  }
}
