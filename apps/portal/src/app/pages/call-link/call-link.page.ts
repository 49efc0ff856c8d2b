import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { RoomSummary } from '@parley/protocol';
import { CallService, RoomCallsStore } from '@parley/widget';
import { RoomsStore } from '../../core/rooms.store';

/**
 * `/rooms/:id/call`: a room's permanent call link, by the room's slug or id. Checks membership (the room's call info is for
 * members only), then opens the room and joins its live call (or starts one). Anyone else gets
 * the server's refusal on this page.
 */
@Component({
  selector: 'parley-call-link-page',
  imports: [RouterLink],
  template: `
    @if (error(); as message) {
      <section class="refused" data-testid="call-link-error" role="alert">
        <h1>You cannot join this call</h1>
        <p>{{ message }}</p>
        <a routerLink="/">Back to the activity stream</a>
      </section>
    } @else {
      <p class="muted" role="status" data-testid="call-link-joining">Joining the call…</p>
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 2rem;
    }
    .refused {
      max-width: 32rem;
      padding: 1.25rem 1.5rem;
      border-radius: 12px;
      background: #fef2f2;
      border: 1px solid #fecaca;
      color: #7f1d1d;
    }
    h1 {
      margin: 0 0 0.5rem;
      font-size: 1.2rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallLinkPage {
  private readonly store = inject(RoomCallsStore);
  private readonly rooms = inject(RoomsStore);
  private readonly calls = inject(CallService);
  private readonly router = inject(Router);

  /** Route parameter: the room's slug or id. */
  readonly id = input.required<string>();
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => void this.open(this.id()));
  }

  private async open(address: string): Promise<void> {
    this.error.set(null);
    // The call services take room ids: resolve the address first (404/403 said by the server).
    let room: RoomSummary;
    try {
      room = await this.rooms.fetchRoom(address);
    } catch (err: unknown) {
      if (this.id() === address) {
        this.error.set(err instanceof Error ? err.message : 'This call link is not valid.');
      }
      return;
    }
    const roomId = room.id;
    const info = await this.store.load(roomId);
    if (!info) {
      this.error.set(this.store.get(roomId)?.error ?? 'This call link is not valid.');
      return;
    }
    await this.router.navigate(['/rooms', room.name || roomId], { replaceUrl: true });
    await this.calls.joinRoom(roomId, info.call?.providerType);
  }
}
