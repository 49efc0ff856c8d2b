import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import type { CallLobbyEvent, GuestLink, LobbyGuest } from '@parley/protocol';
import { CallService } from '../calls/call.service';
import { errorMessage } from '../calls/call-session-types';
import { ParleyWidgetHost } from '../host/widget-host';

/**
 * The guests part of a group call window (docs/guests.md), for members: "N waiting" with Admit /
 * Deny per guest and Admit all (the host), and the call's guest link (create, copy, revoke). Guests
 * themselves never see it. The server decides who may do what; a refusal is shown here.
 */
@Component({
  selector: 'parley-call-lobby',
  templateUrl: './call-lobby.component.html',
  styleUrl: './call-lobby.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallLobbyComponent {
  private readonly host = inject(ParleyWidgetHost);
  private readonly calls = inject(CallService);
  private readonly origin = inject(DOCUMENT).location?.origin ?? '';

  readonly callId = input.required<string>();

  protected readonly waiting = signal<readonly LobbyGuest[]>([]);
  protected readonly link = signal<GuestLink | null>(null);
  protected readonly problem = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly copied = signal(false);
  protected readonly isHost = this.calls.isModerator;
  protected readonly linkUrl = computed(() => {
    const link = this.link();
    return link ? this.origin + link.path : null;
  });

  constructor() {
    const sub = this.host.events('call.lobby.updated').subscribe((event) => this.show(event));
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
    // The lobby and links of this call as they are now (pushes bring the changes).
    effect(() => {
      const callId = this.callId();
      void this.load(callId);
    });
  }

  protected admit(guest: LobbyGuest): Promise<void> {
    return this.act(() =>
      this.host.request('call.lobby.admit', { callId: this.callId(), guestId: guest.id }),
    );
  }

  protected deny(guest: LobbyGuest): Promise<void> {
    return this.act(() => this.host.request('call.lobby.deny', { callId: this.callId(), guestId: guest.id }));
  }

  protected admitAll(): Promise<void> {
    return this.act(() => this.host.request('call.lobby.admitAll', { callId: this.callId() }));
  }

  protected async createLink(): Promise<void> {
    await this.run(async () => {
      this.link.set(await this.host.request('call.guests.link', { callId: this.callId() }));
      this.copied.set(false);
    });
  }

  protected async revokeLink(): Promise<void> {
    const link = this.link();
    if (!link) return;
    await this.run(async () => {
      await this.host.request('call.guests.revoke', { callId: this.callId(), linkId: link.id });
      this.link.set(null);
    });
  }

  protected async copyLink(): Promise<void> {
    const url = this.linkUrl();
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      this.copied.set(true);
    } catch {
      this.problem.set('Copy the link from the box.');
    }
  }

  private async load(callId: string): Promise<void> {
    try {
      this.show(await this.host.request('call.lobby.get', { callId }));
      const links = await this.host.request('call.guests.links', { callId });
      this.link.set(links.filter((l) => !l.revoked && Date.parse(l.expiresAt) > Date.now()).at(-1) ?? null);
    } catch {
      // Not for this user (e.g. a guest): the server refuses, nothing is shown.
    }
  }

  private show(event: CallLobbyEvent): void {
    if (event.callId === this.callId()) this.waiting.set(event.waiting);
  }

  private act(request: () => Promise<CallLobbyEvent>): Promise<void> {
    return this.run(async () => this.show(await request()));
  }

  private async run(step: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      await step();
    } catch (err) {
      this.problem.set(errorMessage(err, 'That did not work.'));
    } finally {
      this.busy.set(false);
    }
  }
}
