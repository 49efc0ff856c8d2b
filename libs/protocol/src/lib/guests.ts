// Guests by link (docs/guests.md): a person without an account joins a room's group call through a
// signed, expiring, revocable link, after the host admits them from the lobby.
import type { CallIdRequest, CallInfo } from './calls';
import type { UserSummary } from './directory';
import type { ProviderDescriptor } from './providers';

/** The guest's session cookie (httpOnly; bound to one link, room and call). */
export const GUEST_COOKIE = 'parley_guest';

/** A guest link's lifetime: default and limits, in seconds (an hour; 10 s to a day). */
export const GUEST_LINK_SECONDS = { default: 3600, min: 10, max: 24 * 3600 } as const;
/** A guest's display name: at most this many characters (trimmed, not empty). */
export const GUEST_NAME_MAX_LENGTH = 60;

/** REST routes of guests (all under `/api`). */
export const GUEST_API = {
  /** GET `GuestLinkStatus` (public, rate limited per address): what the link's page shows. */
  link: (token: string) => `/api/guest/links/${encodeURIComponent(token)}`,
  /** POST `GuestJoinRequest` (public, rate limited): sets the guest cookie, answers `GuestJoinResponse`. */
  join: '/api/guest/join',
  /** The client half of the guest's call's provider (guest cookie required). */
  providerClient: (type: string) => `/api/guest/providers/${encodeURIComponent(type)}/client.js`,
  /** Admins only: GET `GuestSettings`, PUT `GuestSettingsUpdate` (answers the saved settings). */
  adminSettings: '/api/admin/guests',
} as const;

/** Who may create guest links for a room's call: its host only, or any member in the call's room. */
export type GuestLinkCreators = 'host' | 'members';

/** The admins' guest settings (`GUEST_API.adminSettings`). */
export interface GuestSettings {
  /** Off: no link can be created or used on the whole portal; guests in calls stay until they leave. */
  enabled: boolean;
  creators: GuestLinkCreators;
}

export type GuestSettingsUpdate = Partial<GuestSettings>;

/** A guest link as its creator sees it (`call.guests.link`, `call.guests.links`). */
export interface GuestLink {
  id: string;
  roomId: string;
  callId: string;
  /** The signed token; the page is `/guest/<token>`. */
  token: string;
  /** The portal path of the link's page. */
  path: string;
  createdBy: string;
  /** ISO times. */
  createdAt: string;
  expiresAt: string;
  revoked: boolean;
}

/** Why a link does not let anyone in (what the guest page says). */
export type GuestLinkProblem = 'invalid' | 'expired' | 'revoked' | 'ended' | 'disabled';

/** `GUEST_API.link`: the link's state, for the guest page. */
export type GuestLinkStatus =
  | { ok: true; roomTitle: string; expiresAt: string }
  | { ok: false; problem: GuestLinkProblem; message: string };

export interface GuestJoinRequest {
  token: string;
  displayName: string;
}

/** The guest's identity (a synthetic user, never in the directory). */
export interface GuestIdentity {
  /** `guest-<uuid>`: the user id the call and the socket know the guest by. */
  id: string;
  displayName: string;
  guest: true;
}

export interface GuestJoinResponse {
  guest: GuestIdentity;
  roomTitle: string;
  callId: string;
  /** ISO time the guest session ends (the link's expiry, at most). */
  expiresAt: string;
}

/** A guest waiting in a call's lobby. */
export interface LobbyGuest {
  id: string;
  displayName: string;
  /** ISO time they started waiting. */
  since: string;
}

/** `call.lobby.updated`, to the call's joined participants: who waits now. */
export interface CallLobbyEvent {
  callId: string;
  waiting: LobbyGuest[];
}

/** `guest.knock`'s answer: the guest waits (or was admitted already, after a reload). */
export type GuestKnockResponse =
  { state: 'waiting'; roomTitle: string } | ({ state: 'admitted' } & GuestAdmittedEvent);

/** `guest.admitted`, to the guest: join `call` now; `people`: names of the call's room members and guests. */
export interface GuestAdmittedEvent {
  call: CallInfo;
  people: UserSummary[];
  /** The call's provider; its `clientModuleUrl` is the guest route (`GUEST_API.providerClient`). */
  provider: ProviderDescriptor;
}

/** `guest.removed`, to the guest: denied, link revoked, removed, the call ended, guests turned off. */
export interface GuestRemovedEvent {
  reason: 'denied' | 'revoked' | 'ended' | 'disabled' | 'removed';
  message: string;
}

export interface GuestLinkCreateRequest extends CallIdRequest {
  /** Lifetime in seconds (`GUEST_LINK_SECONDS`); default an hour. */
  expiresInSeconds?: number;
}

export interface GuestLinkRevokeRequest extends CallIdRequest {
  linkId: string;
}

export interface LobbyGuestRequest extends CallIdRequest {
  guestId: string;
}

/** The guest socket requests (merged into `SocketRequests`). */
export interface GuestSocketRequests {
  /** Host (or member, per the admins' setting): a new guest link for the room's live call. */
  'call.guests.link': { request: GuestLinkCreateRequest; response: GuestLink };
  /** The call's links (host and members who may create them). */
  'call.guests.links': { request: CallIdRequest; response: GuestLink[] };
  /** Host or the link's creator: revoke it; guests who came by it leave the call. */
  'call.guests.revoke': { request: GuestLinkRevokeRequest; response: GuestLink };
  /** The call's lobby now (joined participants). */
  'call.lobby.get': { request: CallIdRequest; response: CallLobbyEvent };
  /** Host: let a waiting guest in / turn them away / let everyone waiting in. */
  'call.lobby.admit': { request: LobbyGuestRequest; response: CallLobbyEvent };
  'call.lobby.deny': { request: LobbyGuestRequest; response: CallLobbyEvent };
  'call.lobby.admitAll': { request: CallIdRequest; response: CallLobbyEvent };
  /** Guest: wait in the lobby of the link's call. */
  'guest.knock': { request: Record<string, never>; response: GuestKnockResponse };
}

/** The guest pushes (merged into `SocketEvents`). */
export interface GuestSocketEvents {
  'call.lobby.updated': CallLobbyEvent;
  'guest.admitted': GuestAdmittedEvent;
  'guest.removed': GuestRemovedEvent;
}
