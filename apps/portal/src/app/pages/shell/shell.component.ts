import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, signal } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { PRESENCES, type Presence } from '@parley/protocol';
import { CallWindowComponent, IncomingCallComponent } from '@parley/widget';
import { DirectoryStore } from '../../core/directory.store';
import { ProvidersStore } from '../../core/providers.store';
import { RealtimeService } from '../../core/realtime.service';
import { RoomsStore } from '../../core/rooms.store';
import { SessionService } from '../../core/session.service';
import { MiniChatComponent } from '../../mini-chat/mini-chat.component';
import { AvatarComponent } from '../../shared/avatar.component';
import { PRESENCE_LABELS } from '../../shared/presence';
import { ROOM_KIND_ICONS } from './room-kinds';

/** Signed-in layout: top bar, room sidebar, page outlet and the docked mini chat. */
@Component({
  selector: 'parley-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    AvatarComponent,
    MiniChatComponent,
    CallWindowComponent,
    IncomingCallComponent,
  ],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '(document:click)': 'closeMenuOutside($event)',
    '(document:keydown.escape)': 'menuOpen.set(false)',
  },
})
export class ShellComponent {
  private readonly session = inject(SessionService);
  private readonly directory = inject(DirectoryStore);
  private readonly providers = inject(ProvidersStore);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly rooms = inject(RoomsStore);
  protected readonly realtime = inject(RealtimeService);

  protected readonly user = this.session.user;
  protected readonly isAdmin = this.session.isAdmin;
  protected readonly presences = PRESENCES;
  protected readonly labels = PRESENCE_LABELS;
  protected readonly icons = ROOM_KIND_ICONS;
  protected readonly menuOpen = signal(false);
  protected readonly sidebarOpen = signal(false);
  protected readonly presenceError = signal<string | null>(null);
  protected readonly myPresence = computed<Presence>(() => {
    const user = this.user();
    return user ? (this.directory.users().get(user.id)?.presence ?? user.presence) : 'offline';
  });

  constructor() {
    const user = this.session.user();
    if (user) this.directory.upsert(user);
    void this.directory.load().catch(() => undefined);
    void this.rooms.load().catch(() => undefined);
    void this.providers.load().catch(() => undefined);
  }

  protected toggleMenu(): void {
    this.menuOpen.update((open) => !open);
  }

  protected closeMenuOutside(event: MouseEvent): void {
    if (!this.menuOpen()) return;
    const menu = this.host.nativeElement.querySelector('.account');
    if (menu && !menu.contains(event.target as Node)) this.menuOpen.set(false);
  }

  protected async setPresence(presence: Presence): Promise<void> {
    this.menuOpen.set(false);
    this.presenceError.set(null);
    try {
      const summary = await this.realtime.request('presence.set', { presence });
      this.directory.upsert(summary);
    } catch (err) {
      this.presenceError.set(err instanceof Error ? err.message : 'Could not change presence.');
    }
  }

  protected logout(): void {
    this.menuOpen.set(false);
    void this.session.logout();
  }
}
