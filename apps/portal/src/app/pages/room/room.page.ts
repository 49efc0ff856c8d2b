import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import type { CallTarget, RoomSummary } from '@parley/protocol';
import { CallBannerComponent } from '@parley/widget';
import { RoomsStore } from '../../core/rooms.store';
import { SessionService } from '../../core/session.service';
import { CallSlotComponent } from '../../shared/call-slot.component';
import { ChatThreadComponent } from '../../shared/chat-thread.component';
import { ROOM_KIND_ICONS } from '../shell/room-kinds';

const KIND_LABELS: Readonly<Record<RoomSummary['kind'], string>> = {
  direct: 'Direct message',
  group: 'Group message',
  chat: 'Chat room',
  space: 'Space',
};

/** `/rooms/:id`: a chat room, addressed by its slug (`/rooms/town-square`) or its id. */
/** Whether a URL's room address (slug or id) names this room. */
export function isAddressOf(room: RoomSummary, address: string): boolean {
  return room.id === address || (room.name !== '' && room.name === address);
}

@Component({
  selector: 'parley-room-page',
  imports: [ChatThreadComponent, CallSlotComponent, CallBannerComponent],
  templateUrl: './room.page.html',
  styleUrl: './room.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoomPage {
  private readonly rooms = inject(RoomsStore);
  private readonly session = inject(SessionService);

  /** Route parameter: the room's slug or id. */
  readonly id = input.required<string>();

  private readonly fetched = signal<RoomSummary | null>(null);
  protected readonly error = signal<string | null>(null);
  /** The live summary from the store once known (member count, title), else what was fetched. */
  protected readonly room = computed(() => {
    const address = this.id();
    const fetched = this.fetched();
    return (
      this.rooms.rooms().find((room) => isAddressOf(room, address)) ??
      (fetched && isAddressOf(fetched, address) ? fetched : null)
    );
  });
  /** In a direct message the call goes to the other person; otherwise to the room (or space). */
  protected readonly callTarget = computed<CallTarget>(() => {
    const room = this.room();
    // Shown only once the room is known; until then the address stands in.
    if (!room) return { kind: 'room', roomId: this.id() };
    if (room.kind === 'direct') {
      const me = this.session.user()?.id;
      const other = room.memberIds.find((id) => id !== me);
      if (other) return { kind: 'user', userId: other };
    }
    return { kind: room.kind === 'space' ? 'space' : 'room', roomId: room.id };
  });
  protected readonly kindLabels = KIND_LABELS;
  protected readonly icons = ROOM_KIND_ICONS;

  constructor() {
    effect(() => {
      const id = this.id();
      this.error.set(null);
      this.rooms.fetchRoom(id).then(
        (room) => this.fetched.set(room),
        (err: unknown) => {
          if (this.id() === id) this.error.set(err instanceof Error ? err.message : 'Room not found.');
        },
      );
    });
  }
}
