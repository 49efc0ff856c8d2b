import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import type { UserProfile } from '@parley/protocol';
import { CallHistoryComponent } from '@parley/widget';
import { DirectoryStore } from '../../core/directory.store';
import { MiniChatService } from '../../core/mini-chat.service';
import { SessionService } from '../../core/session.service';
import { AvatarComponent } from '../../shared/avatar.component';
import { CallSlotComponent } from '../../shared/call-slot.component';
import { PRESENCE_LABELS } from '../../shared/presence';
import { ImAccountsComponent } from './im-accounts.component';

/** `/people/:id`: a user's profile. */
@Component({
  selector: 'parley-profile-page',
  imports: [AvatarComponent, CallSlotComponent, CallHistoryComponent, ImAccountsComponent],
  templateUrl: './profile.page.html',
  styleUrl: './profile.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfilePage {
  private readonly directory = inject(DirectoryStore);
  private readonly miniChat = inject(MiniChatService);
  private readonly session = inject(SessionService);

  /** Route parameter. */
  readonly id = input.required<string>();

  protected readonly profile = signal<UserProfile | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly presence = computed(() => this.directory.users().get(this.id())?.presence ?? 'offline');
  protected readonly presenceLabel = computed(() => PRESENCE_LABELS[this.presence()]);
  protected readonly isMe = computed(() => this.session.user()?.id === this.id());

  constructor() {
    effect(() => {
      const id = this.id();
      this.profile.set(null);
      this.error.set(null);
      this.directory.profile(id).then(
        (profile) => {
          if (this.id() === id) this.profile.set(profile);
        },
        (err: unknown) => {
          if (this.id() === id) this.error.set(err instanceof Error ? err.message : 'User not found.');
        },
      );
    });
  }

  protected message(): void {
    this.miniChat.open(this.id());
  }
}
