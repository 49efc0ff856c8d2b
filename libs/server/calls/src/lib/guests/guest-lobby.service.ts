import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { SocketError } from '@parley/connector-sdk';
import {
  GUEST_API,
  type CallInfo,
  type CallLobbyEvent,
  type GuestAdmittedEvent,
  type GuestKnockResponse,
  type GuestRemovedEvent,
} from '@parley/protocol';
import { ProviderRegistry } from '@parley/server-conferencing';
import { type Observable, Subject } from 'rxjs';
import { CallEvents } from '../services/call-events.service';
import { type CallActor, CallLifecycle } from '../services/call-lifecycle.service';
import { GroupCalls } from '../services/group-calls.service';
import { LiveCalls, type LiveCall } from '../services/live-calls';
import type { GuestSession } from './guest-links.service';
import { newCallGuests } from './guest-state';

const REMOVED_MESSAGES: Record<GuestRemovedEvent['reason'], string> = {
  denied: 'The host did not let you in.',
  revoked: 'The host revoked this guest link: you are no longer in the call.',
  ended: 'The call has ended.',
  disabled: 'Guest access was turned off.',
  removed: 'You were removed from the call.',
};

/**
 * The lobby of a room's live call (docs/guests.md): guests wait there, the host admits or denies
 * each (or all), and guests leave when their link is revoked or the call ends. The state is the
 * call's own (`LiveCall.guests`), on the node that hosts the call. Guests to disconnect are
 * announced on {@link evictions$} (the guests gateway closes their sockets).
 */
@Injectable()
export class GuestLobby implements OnModuleDestroy {
  private readonly evictSubject = new Subject<string>();
  private readonly stopListening: () => void;
  /** Guest ids whose sockets must close now. */
  readonly evictions$: Observable<string> = this.evictSubject.asObservable();

  constructor(
    private readonly calls: LiveCalls,
    private readonly lifecycle: CallLifecycle,
    private readonly groups: GroupCalls,
    private readonly events: CallEvents,
    private readonly registry: ProviderRegistry,
  ) {
    this.stopListening = lifecycle.onCallEnded((call) => this.callEnded(call));
  }

  onModuleDestroy(): void {
    this.stopListening();
    this.evictSubject.complete();
  }

  /** A guest (their socket's session) waits in the lobby, or is told they are in already (a reload). */
  knock(session: GuestSession): GuestKnockResponse {
    const { live, claims } = session;
    const guests = (live.guests ??= newCallGuests());
    if (guests.admitted.has(claims.guestId)) return { state: 'admitted', ...this.admittedEvent(live) };
    if (guests.denied.has(claims.guestId)) throw new SocketError('forbidden', REMOVED_MESSAGES.denied);
    if (!guests.waiting.has(claims.guestId)) {
      guests.waiting.set(claims.guestId, {
        id: claims.guestId,
        displayName: claims.displayName,
        since: new Date().toISOString(),
        linkId: claims.linkId,
      });
      this.pushLobby(live);
    }
    return { state: 'waiting', roomTitle: live.connectorCall.title };
  }

  /** The lobby now, for the call's joined members. */
  get(actor: CallActor, callId: string): CallLobbyEvent {
    return this.lobbyOf(this.lifecycle.access(callId, actor.userId));
  }

  admit(actor: CallActor, callId: string, guestId: string): CallLobbyEvent {
    const live = this.hosted(actor, callId);
    if (!live.guests?.waiting.has(guestId)) throw new SocketError('not_found', 'That guest is not waiting');
    this.letIn(live, guestId);
    this.pushLobby(live);
    return this.lobbyOf(live);
  }

  admitAll(actor: CallActor, callId: string): CallLobbyEvent {
    const live = this.hosted(actor, callId);
    for (const guestId of [...(live.guests?.waiting.keys() ?? [])]) this.letIn(live, guestId);
    this.pushLobby(live);
    return this.lobbyOf(live);
  }

  deny(actor: CallActor, callId: string, guestId: string): CallLobbyEvent {
    const live = this.hosted(actor, callId);
    if (!live.guests?.waiting.delete(guestId))
      throw new SocketError('not_found', 'That guest is not waiting');
    live.guests.denied.add(guestId);
    this.tell(guestId, 'denied');
    this.pushLobby(live);
    return this.lobbyOf(live);
  }

  /** The guest's last tab went away: no longer waiting (an admitted guest gets the call's reconnect grace). */
  disconnected(guestId: string, callId: string): void {
    const live = this.calls.get(callId);
    if (live?.guests?.waiting.delete(guestId)) this.pushLobby(live);
  }

  /** A revoked link: its waiting guests are turned away, its admitted guests leave the call. */
  linkRevoked(live: LiveCall, linkId: string): void {
    const guests = live.guests;
    if (!guests) return;
    for (const [id, waiting] of guests.waiting) {
      if (waiting.linkId !== linkId) continue;
      guests.waiting.delete(id);
      this.tell(id, 'revoked');
    }
    for (const [id, admitted] of guests.admitted) {
      if (admitted.linkId !== linkId) continue;
      guests.admitted.delete(id);
      if (!live.machine.ended && live.machine.participant(id)?.state === 'joined') {
        this.groups.leave(live, id, 'guest link revoked');
      }
      this.tell(id, 'revoked');
    }
    this.pushLobby(live);
  }

  private letIn(live: LiveCall, guestId: string): void {
    const guests = live.guests as NonNullable<LiveCall['guests']>;
    const waiting = guests.waiting.get(guestId);
    if (!waiting) return;
    guests.waiting.delete(guestId);
    guests.admitted.set(guestId, { linkId: waiting.linkId, displayName: waiting.displayName });
    live.machine.addGuest(guestId, waiting.displayName);
    // What the call path reads about a participant: a synthetic user, flagged by its `guest-` id.
    live.users.set(guestId, {
      id: guestId,
      username: guestId,
      displayName: waiting.displayName,
      email: null,
      avatarUrl: '',
      isAdmin: false,
      guest: true,
    });
    live.summaries.set(guestId, {
      id: guestId,
      username: guestId,
      displayName: waiting.displayName,
      avatarUrl: '',
      presence: 'available',
    });
    this.events.push([guestId], 'guest.admitted', this.admittedEvent(live));
  }

  private admittedEvent(live: LiveCall): GuestAdmittedEvent {
    const type = live.machine.info.providerType;
    const provider = this.registry.usable().find((p) => p.type === type);
    if (!provider)
      throw new SocketError('unavailable', `${this.lifecycle.providerTitle(type)} is not available`);
    // The guest has no session: its client half comes from the guest route (same version query).
    const query = provider.clientModuleUrl.includes('?')
      ? provider.clientModuleUrl.slice(provider.clientModuleUrl.indexOf('?'))
      : '';
    return {
      call: live.machine.snapshot(),
      people: [...live.summaries.values()],
      provider: { ...provider, clientModuleUrl: GUEST_API.providerClient(type) + query },
    };
  }

  /** The call's live record for a host action: the host (or an admin) only. */
  private hosted(actor: CallActor, callId: string): LiveCall {
    const live = this.lifecycle.access(callId, actor.userId);
    live.machine.requireHost(actor.userId, live.users.get(actor.userId)?.isAdmin === true);
    return live;
  }

  private lobbyOf(live: LiveCall): CallLobbyEvent {
    const waiting = [...(live.guests?.waiting.values() ?? [])].map(({ id, displayName, since }) => ({
      id,
      displayName,
      since,
    }));
    return { callId: live.machine.id, waiting };
  }

  /** `call.lobby.updated` to the joined members (guests do not see the lobby). */
  private pushLobby(live: LiveCall): void {
    const members = live.machine.joinedIds.filter((id) => !live.guests?.admitted.has(id));
    this.events.push(members, 'call.lobby.updated', this.lobbyOf(live));
  }

  private tell(guestId: string, reason: GuestRemovedEvent['reason']): void {
    this.events.push([guestId], 'guest.removed', { reason, message: REMOVED_MESSAGES[reason] });
    if (reason !== 'denied') this.evictSubject.next(guestId);
  }

  private callEnded(call: CallInfo): void {
    const guests = this.calls.get(call.id)?.guests;
    if (!guests) return;
    const ids = [...guests.waiting.keys(), ...guests.admitted.keys()];
    guests.waiting.clear();
    guests.admitted.clear();
    for (const link of guests.links.values()) link.revoked = true;
    for (const id of ids) this.tell(id, 'ended');
  }
}
