import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import {
  GUEST_API,
  GUEST_NAME_MAX_LENGTH,
  type GuestAdmittedEvent,
  type GuestJoinResponse,
  type GuestKnockResponse,
  type GuestLinkStatus,
} from '@parley/protocol';
import {
  CallRings,
  CallService,
  CallWindowComponent,
  ParleyWidgetHost,
  PreferencesStore,
} from '@parley/widget';
import { io } from 'socket.io-client';
import { RealtimeService, SOCKET_FACTORY, type SocketLike } from '../../core/realtime.service';
import { SOCKET_TIMING } from '@parley/protocol';
import { GuestWidgetHost } from './guest-widget-host';

/** Where the guest is: the name form, waiting in the lobby, in the call, or told why not. */
export type GuestPhase = 'loading' | 'form' | 'joining' | 'waiting' | 'call' | 'closed';

/** A guest's socket: the guest handshake (`auth.guest`), authenticated by the guest cookie. */
function guestSocket(): SocketLike {
  return io({
    path: '/socket.io',
    withCredentials: true,
    autoConnect: false,
    auth: { guest: true },
    reconnectionDelay: SOCKET_TIMING.reconnectionDelayMs,
    reconnectionDelayMax: SOCKET_TIMING.reconnectionDelayMaxMs,
  }) as unknown as SocketLike;
}

async function readJson<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as (T & { message?: unknown }) | null;
  if (!response.ok) {
    const message =
      typeof body?.message === 'string' ? body.message : `The server answered ${response.status}.`;
    throw new Error(message);
  }
  return body as T;
}

/**
 * `/guest/:token` (docs/guests.md): a person without an account opens a guest link, gives a name,
 * waits in the lobby until the host admits them, then is in the call (the widget's call window
 * over {@link GuestWidgetHost}, with its own socket and call services). Denied, expired, revoked,
 * ended and "guests off" each get a clear message.
 */
@Component({
  selector: 'parley-guest-page',
  imports: [FormsModule, CallWindowComponent],
  templateUrl: './guest.page.html',
  styleUrl: './guest.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [
    { provide: SOCKET_FACTORY, useValue: guestSocket },
    RealtimeService,
    GuestWidgetHost,
    { provide: ParleyWidgetHost, useExisting: GuestWidgetHost },
    PreferencesStore,
    CallRings,
    CallService,
  ],
})
export class GuestPage implements OnInit {
  private readonly realtime = inject(RealtimeService);
  private readonly host = inject(GuestWidgetHost);
  private readonly calls = inject(CallService);

  readonly token = input.required<string>();

  protected readonly maxName = GUEST_NAME_MAX_LENGTH;
  protected readonly phase = signal<GuestPhase>('loading');
  protected readonly roomTitle = signal('');
  protected readonly name = signal('');
  protected readonly error = signal<string | null>(null);
  /** Why the page cannot (or no longer) let the guest in; `problem` names it for scripts and tests. */
  protected readonly closed = signal<{ problem: string; message: string } | null>(null);

  constructor() {
    const subs = [
      this.realtime.events('guest.admitted').subscribe((event) => void this.enter(event)),
      this.realtime.events('guest.removed').subscribe((event) => this.close(event.reason, event.message)),
      this.realtime.connected$.subscribe(() => void this.knock()),
      this.realtime.unauthorized$.subscribe(() => void this.refused()),
    ];
    inject(DestroyRef).onDestroy(() => subs.forEach((sub) => sub.unsubscribe()));
  }

  async ngOnInit(): Promise<void> {
    try {
      const status = await readJson<GuestLinkStatus>(await fetch(GUEST_API.link(this.token())));
      if (!status.ok) return this.close(status.problem, status.message);
      this.roomTitle.set(status.roomTitle);
      this.phase.set('form');
    } catch (err) {
      this.close('error', err instanceof Error ? err.message : 'The server could not be reached.');
    }
  }

  protected async submit(): Promise<void> {
    const displayName = this.name().trim();
    if (!displayName) {
      this.error.set('Enter your name.');
      return;
    }
    this.error.set(null);
    this.phase.set('joining');
    try {
      const joined = await readJson<GuestJoinResponse>(
        await fetch(GUEST_API.join, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: this.token(), displayName }),
        }),
      );
      this.host.setGuest(joined.guest);
      this.roomTitle.set(joined.roomTitle);
      this.realtime.connect();
    } catch (err) {
      this.error.set(err instanceof Error ? err.message : 'Could not join.');
      this.phase.set('form');
    }
  }

  /** On each (re)connection: wait in the lobby, or go (back) into the call when admitted already. */
  private async knock(): Promise<void> {
    if (this.phase() === 'closed' || this.phase() === 'call') return;
    try {
      const reply: GuestKnockResponse = await this.realtime.request('guest.knock', {});
      if (reply.state === 'admitted') await this.enter(reply);
      else this.phase.set('waiting');
    } catch (err) {
      this.close('denied', err instanceof Error ? err.message : 'The host did not let you in.');
    }
  }

  private async enter(event: GuestAdmittedEvent): Promise<void> {
    if (this.phase() === 'call' || this.phase() === 'closed') return;
    this.host.admitted(event);
    this.phase.set('call');
    const target = event.call.target;
    // Admitted by the host, who is waiting: straight in (the lobby was the wait).
    if (target.kind !== 'user')
      await this.calls.joinRoom(target.roomId, event.provider.type, { check: false });
  }

  /** The guest socket was refused (link revoked or expired, call over): say why, from the link. */
  private async refused(): Promise<void> {
    const status = await readJson<GuestLinkStatus>(await fetch(GUEST_API.link(this.token()))).catch(
      () => null,
    );
    this.close(
      status && !status.ok ? status.problem : 'ended',
      status && !status.ok ? status.message : 'You are no longer in the call.',
    );
  }

  private close(problem: string, message: string): void {
    if (this.phase() === 'closed') return;
    this.closed.set({ problem, message });
    this.phase.set('closed');
    void this.calls.hangup().finally(() => this.calls.dismiss());
    this.realtime.disconnect();
  }
}
