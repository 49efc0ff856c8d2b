import { Injectable } from '@nestjs/common';
import { SocketError } from '@parley/connector-sdk';
import {
  GUEST_LINK_SECONDS,
  type GuestIdentity,
  type GuestLink,
  type GuestLinkProblem,
  type GuestLinkStatus,
} from '@parley/protocol';
import { ProviderRegistry, SecretBox } from '@parley/server-conferencing';
import { randomUUID } from 'node:crypto';
import type { CallActor } from '../services/call-lifecycle.service';
import { CallLifecycle } from '../services/call-lifecycle.service';
import { LiveCalls, type LiveCall } from '../services/live-calls';
import { GuestSettingsService } from './guest-settings.service';
import { GUEST_ID_PREFIX, newCallGuests } from './guest-state';
import { type GuestSessionClaims, GuestTokens } from './guest-tokens';

/** A guest session lasts as long as its link, and at most this long. */
export const GUEST_SESSION_MAX_MS = 4 * 3600_000;

/** What the guest page says for each problem. */
export const GUEST_LINK_MESSAGES: Record<GuestLinkProblem, string> = {
  invalid: 'This guest link is not valid. Ask the host for a new one.',
  expired: 'This guest link has expired. Ask the host for a new one.',
  revoked: 'This guest link was revoked by the host.',
  ended: 'The call this link was made for has ended.',
  disabled: 'Guest access is turned off on this server.',
};

/** A refusal to a guest (REST and socket): its problem and message. */
export class GuestLinkRefused extends SocketError {
  constructor(readonly problem: GuestLinkProblem) {
    super(problem === 'invalid' ? 'bad_request' : 'forbidden', GUEST_LINK_MESSAGES[problem]);
  }
}

/** A guest's live session: the claims of their cookie, and the live call it is bound to. */
export interface GuestSession {
  claims: GuestSessionClaims;
  live: LiveCall;
}

/**
 * Guest links of rooms' live group calls (docs/guests.md): made by the host (or a member, per the
 * admins' setting) with an expiry, signed ({@link GuestTokens}), bound to one room and one call,
 * revocable; and the guest sessions opened from them. The links live in the call's `LiveCall`
 * record, so a link dies with its call.
 */
@Injectable()
export class GuestLinks {
  private readonly tokens: GuestTokens;

  constructor(
    private readonly calls: LiveCalls,
    private readonly lifecycle: CallLifecycle,
    private readonly registry: ProviderRegistry,
    private readonly settings: GuestSettingsService,
    secrets: SecretBox,
  ) {
    this.tokens = new GuestTokens(secrets.deriveKey('guest-links'));
  }

  /** A new link for the room's live call `callId`: the host, or any member when the admins allow it. */
  async create(
    actor: CallActor,
    callId: string,
    seconds: number = GUEST_LINK_SECONDS.default,
  ): Promise<GuestLink> {
    const live = this.lifecycle.access(callId, actor.userId);
    if (live.guests?.admitted.has(actor.userId))
      throw new SocketError('forbidden', 'Guests cannot invite guests');
    const settings = await this.settings.get();
    if (!settings.enabled) throw new SocketError('forbidden', GUEST_LINK_MESSAGES.disabled);
    if (!live.room || live.machine.ended)
      throw new SocketError('bad_request', 'Guest links are for live group calls');
    if (settings.creators === 'host' && live.machine.hostId !== actor.userId) {
      throw new SocketError('forbidden', 'Only the host can create guest links');
    }
    this.requireGuestProvider(live.machine.info.providerType);
    const now = Date.now();
    const expiresAt = new Date(now + seconds * 1000);
    const id = randomUUID();
    const token = this.tokens.sign({
      kind: 'link',
      linkId: id,
      roomId: live.room.id,
      callId,
      exp: Math.floor(expiresAt.getTime() / 1000),
    });
    const link: GuestLink = {
      id,
      roomId: live.room.id,
      callId,
      token,
      path: `/guest/${token}`,
      createdBy: actor.userId,
      createdAt: new Date(now).toISOString(),
      expiresAt: expiresAt.toISOString(),
      revoked: false,
    };
    live.guests ??= newCallGuests();
    live.guests.links.set(id, link);
    return link;
  }

  /** The call's links (members of its room). */
  list(actor: CallActor, callId: string): GuestLink[] {
    const live = this.lifecycle.access(callId, actor.userId);
    if (live.guests?.admitted.has(actor.userId))
      throw new SocketError('forbidden', 'Guests cannot see guest links');
    return [...(live.guests?.links.values() ?? [])];
  }

  /** Marks the link revoked (the host or its creator); the lobby then removes its guests. */
  revoke(actor: CallActor, callId: string, linkId: string): { link: GuestLink; live: LiveCall } {
    const live = this.lifecycle.access(callId, actor.userId);
    const link = live.guests?.links.get(linkId);
    if (!link) throw new SocketError('not_found', 'No such guest link in this call');
    const isAdmin = live.users.get(actor.userId)?.isAdmin === true;
    if (link.createdBy !== actor.userId && live.machine.hostId !== actor.userId && !isAdmin) {
      throw new SocketError('forbidden', 'Only the host or the link’s creator can revoke it');
    }
    link.revoked = true;
    return { link, live };
  }

  /** What the link's page shows (public). */
  async status(token: string): Promise<GuestLinkStatus> {
    try {
      const live = await this.liveLink(token);
      const link = live.live.guests?.links.get(live.linkId) as GuestLink;
      return { ok: true, roomTitle: live.live.connectorCall.title, expiresAt: link.expiresAt };
    } catch (error) {
      if (error instanceof GuestLinkRefused) {
        return { ok: false, problem: error.problem, message: GUEST_LINK_MESSAGES[error.problem] };
      }
      throw error;
    }
  }

  /** A guest session for `displayName` through the link: the cookie's token and the guest's identity. */
  async openSession(
    token: string,
    displayName: string,
  ): Promise<{ cookie: string; guest: GuestIdentity; roomTitle: string; callId: string; expiresAt: Date }> {
    const { live, linkId } = await this.liveLink(token);
    const link = live.guests?.links.get(linkId) as GuestLink;
    const expiresAt = new Date(Math.min(Date.parse(link.expiresAt), Date.now() + GUEST_SESSION_MAX_MS));
    const guest: GuestIdentity = { id: GUEST_ID_PREFIX + randomUUID(), displayName, guest: true };
    const cookie = this.tokens.sign({
      kind: 'session',
      linkId,
      roomId: link.roomId,
      callId: link.callId,
      exp: Math.floor(expiresAt.getTime() / 1000),
      guestId: guest.id,
      displayName,
    });
    return { cookie, guest, roomTitle: live.connectorCall.title, callId: link.callId, expiresAt };
  }

  /** The guest session of a cookie's token: signed, not expired, its link usable (else refused). */
  async session(token: unknown): Promise<GuestSession> {
    const verified = this.tokens.verify(token, 'session');
    if (!verified.ok) throw new GuestLinkRefused(verified.problem);
    const live = await this.usable(verified.claims.callId, verified.claims.roomId, verified.claims.linkId);
    return { claims: verified.claims, live };
  }

  /** Guests on (the admins' switch) and the provider serves guests; else refused. */
  private async liveLink(token: string): Promise<{ live: LiveCall; linkId: string }> {
    const verified = this.tokens.verify(token, 'link');
    if (!verified.ok) throw new GuestLinkRefused(verified.problem);
    const { callId, roomId, linkId } = verified.claims;
    return { live: await this.usable(callId, roomId, linkId), linkId };
  }

  private async usable(callId: string, roomId: string, linkId: string): Promise<LiveCall> {
    if (!(await this.settings.get()).enabled) throw new GuestLinkRefused('disabled');
    const live = this.calls.get(callId);
    if (!live || live.machine.ended || live.room?.id !== roomId) throw new GuestLinkRefused('ended');
    const link = live.guests?.links.get(linkId);
    if (!link) throw new GuestLinkRefused('invalid');
    if (link.revoked) throw new GuestLinkRefused('revoked');
    if (Date.parse(link.expiresAt) <= Date.now()) throw new GuestLinkRefused('expired');
    return live;
  }

  /** The built-in provider and plug-ins that declare the `guests` capability take guests. */
  private requireGuestProvider(type: string): void {
    const provider = this.registry.usable().find((p) => p.type === type);
    if (!provider?.capabilities.includes('guests')) {
      throw new SocketError('unavailable', `${this.lifecycle.providerTitle(type)} does not take guests`);
    }
  }
}
