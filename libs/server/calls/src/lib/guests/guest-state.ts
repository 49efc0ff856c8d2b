/**
 * What a live group call holds about its guests, kept in its `LiveCall` record on the node that
 * hosts the call (so it follows the call: nothing to share between nodes, gone when the call is).
 */
import type { GuestLink, LobbyGuest } from '@parley/protocol';

/** An admitted guest: by which link they came (revoking it removes them) and their name. */
export interface AdmittedGuest {
  linkId: string;
  displayName: string;
}

/** A guest waiting in the lobby, and the link they came by. */
export interface WaitingGuest extends LobbyGuest {
  linkId: string;
}

export interface CallGuests {
  /** The call's guest links by id (revoked ones stay, marked, so their guests get a clear answer). */
  links: Map<string, GuestLink>;
  /** Waiting guests by id, in arrival order. */
  waiting: Map<string, WaitingGuest>;
  admitted: Map<string, AdmittedGuest>;
  /** Guests the host turned away (they cannot knock again with the same session). */
  denied: Set<string>;
}

export function newCallGuests(): CallGuests {
  return { links: new Map(), waiting: new Map(), admitted: new Map(), denied: new Set() };
}

/** Guest ids (`guest-<uuid>`): never a directory user's id. */
export const GUEST_ID_PREFIX = 'guest-';

export function isGuestId(userId: string): boolean {
  return userId.startsWith(GUEST_ID_PREFIX);
}
