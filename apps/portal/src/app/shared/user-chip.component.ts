import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import type { UserProfile } from '@parley/protocol';
import { DirectoryStore } from '../core/directory.store';
import { MiniChatService } from '../core/mini-chat.service';
import { SessionService } from '../core/session.service';
import { AvatarComponent } from './avatar.component';
import { CallSlotComponent } from './call-slot.component';
import { PRESENCE_LABELS } from './presence';

const OPEN_DELAY_MS = 250;
const CLOSE_DELAY_MS = 200;
const POPOVER_WIDTH = 280;

/**
 * A user's avatar and/or name linking to their profile. Hovering or focusing it opens the
 * user popover (`data-testid="user-popover"`) with "Message" and "View profile".
 */
@Component({
  selector: 'parley-user-chip',
  imports: [AvatarComponent, CallSlotComponent, RouterLink],
  templateUrl: './user-chip.component.html',
  styleUrl: './user-chip.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '(mouseenter)': 'openSoon()',
    '(mouseleave)': 'closeSoon()',
    '(focusin)': 'openSoon()',
    '(focusout)': 'closeSoon()',
    '(keydown.escape)': 'close()',
  },
})
export class UserChipComponent {
  private readonly directory = inject(DirectoryStore);
  private readonly miniChat = inject(MiniChatService);
  private readonly session = inject(SessionService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private timer: ReturnType<typeof setTimeout> | null = null;

  readonly userId = input.required<string>();
  /** `avatar`, `name` or `both`. */
  readonly show = input<'avatar' | 'name' | 'both'>('both');
  readonly avatarSize = input(36);

  protected readonly open = signal(false);
  protected readonly position = signal({ top: 0, left: 0 });
  protected readonly profile = signal<UserProfile | null>(null);
  protected readonly user = computed(() => this.directory.users().get(this.userId()));
  protected readonly name = computed(() => this.user()?.displayName ?? 'Unknown user');
  protected readonly presenceLabel = computed(() => PRESENCE_LABELS[this.user()?.presence ?? 'offline']);
  protected readonly isMe = computed(() => this.session.user()?.id === this.userId());
  protected readonly popoverId = `user-popover-${Math.random().toString(36).slice(2, 9)}`;

  protected openSoon(): void {
    this.schedule(() => this.reveal(), OPEN_DELAY_MS);
  }

  protected closeSoon(): void {
    this.schedule(() => this.close(), CLOSE_DELAY_MS);
  }

  close(): void {
    this.clearTimer();
    this.open.set(false);
  }

  protected message(): void {
    this.miniChat.open(this.userId());
    this.close();
  }

  private reveal(): void {
    const rect = this.host.nativeElement.getBoundingClientRect();
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - POPOVER_WIDTH - 8));
    const below = rect.bottom + 6;
    const top = below + 200 > window.innerHeight && rect.top > 220 ? rect.top - 206 : below;
    this.position.set({ top, left });
    this.open.set(true);
    this.directory.profile(this.userId()).then(
      (profile) => this.profile.set(profile),
      () => this.profile.set(null),
    );
  }

  private schedule(action: () => void, delay: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      action();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
