import type { AdminProvidersResponse } from './admin';
import type { ActivityPost, ChatMessage, Presence, UserProfile, UserSummary } from './directory';
import type { IceConfig } from './ice';
import type { ProviderDescriptor, ProvidersChanged } from './providers';

/**
 * One authenticated socket.io connection per browser tab (path `/socket.io`).
 * The handshake authenticates with the session cookie or `auth: { token }`;
 * an unauthenticated handshake is refused with a `connect_error` whose message is
 * `unauthorized`.
 *
 * Requests: the client emits `name` with a payload and an acknowledgement
 * callback; socket.io carries the request id. The reply is always a
 * {@link SocketReply}: a malformed request gets `ok: false` and the connection stays up.
 */
export interface SocketRequests {
  'session.whoami': { request: Record<string, never>; response: UserProfile };
  'presence.set': { request: { presence: Presence }; response: UserSummary };
  'room.send': { request: { roomId: string; body: string }; response: ChatMessage };
  /** The providers the user may call with (same list as `GET /api/providers`). */
  'providers.list': { request: Record<string, never>; response: ProviderDescriptor[] };
  /** ICE servers with fresh short-lived TURN credentials (same as `GET /api/ice-config`). */
  'ice.config': { request: Record<string, never>; response: IceConfig };
  /** Admins only (others: `forbidden`): the admin view of every provider. */
  'admin.providers': { request: Record<string, never>; response: AdminProvidersResponse };
}

/** Server pushes. */
export interface SocketEvents {
  /** To everyone who can see the user (every signed-in user of the directory). */
  'presence.changed': UserSummary;
  /** To the members of the room. */
  'room.message': ChatMessage;
  /** To everyone: a new activity-stream post. */
  'post.created': ActivityPost;
  /**
   * To every connected user, within a second of any change that affects which providers they
   * may use (admin activates/deactivates/reorders/edits settings): the complete new list.
   */
  'providers.changed': ProvidersChanged;
  /** To connected admins: something on the admin page changed (refetch what you show). */
  'admin.changed': { area: 'providers' | 'ice' };
}

export type SocketRequestName = keyof SocketRequests;
export type SocketEventName = keyof SocketEvents;

export type SocketErrorCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'internal';

export interface SocketError {
  code: SocketErrorCode;
  message: string;
}

export type SocketReply<T> = { ok: true; data: T } | { ok: false; error: SocketError };
