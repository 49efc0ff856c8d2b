import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { DirectoryStore } from '../core/directory.store';
import { MiniChatService } from '../core/mini-chat.service';
import { RoomsStore } from '../core/rooms.store';
import { AvatarComponent } from '../shared/avatar.component';
import { CallSlotComponent } from '../shared/call-slot.component';
import { ChatThreadComponent } from '../shared/chat-thread.component';
import { PRESENCE_LABELS } from '../shared/presence';

/**
 * The docked window (bottom right) with the direct messages of one user, opened from the user
 * popover or a profile's "Message" button. The room is fetched or created with `POST /api/rooms/direct`.
 */
@Component({
  selector: 'parley-mini-chat',
  imports: [AvatarComponent, CallSlotComponent, ChatThreadComponent, RouterLink],
  templateUrl: './mini-chat.component.html',
  styleUrl: './mini-chat.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MiniChatComponent {
  protected readonly miniChat = inject(MiniChatService);
  private readonly directory = inject(DirectoryStore);
  private readonly rooms = inject(RoomsStore);

  protected readonly userId = this.miniChat.userId;
  protected readonly roomId = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly minimized = signal(false);
  protected readonly user = computed(() => {
    const id = this.userId();
    return id ? this.directory.users().get(id) : undefined;
  });
  protected readonly presenceLabel = computed(() => PRESENCE_LABELS[this.user()?.presence ?? 'offline']);

  constructor() {
    effect(() => {
      const userId = this.userId();
      this.roomId.set(null);
      this.error.set(null);
      this.minimized.set(false);
      if (!userId) return;
      this.rooms.direct(userId).then(
        (room) => {
          if (this.userId() === userId) this.roomId.set(room.id);
        },
        (err: unknown) => {
          if (this.userId() === userId) {
            this.error.set(err instanceof Error ? err.message : 'Could not open the conversation.');
          }
        },
      );
    });
  }
}
