import type { ActivityPost, ChatMessage, Presence, UserProfile, UserSummary } from './directory';

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
}

/** Server pushes. */
export interface SocketEvents {
  /** To everyone who can see the user (every signed-in user of the directory). */
  'presence.changed': UserSummary;
  /** To the members of the room. */
  'room.message': ChatMessage;
  /** To everyone: a new activity-stream post. */
  'post.created': ActivityPost;
}

export type SocketRequestName = keyof SocketRequests;
export type SocketEventName = keyof SocketEvents;

export type SocketErrorCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'internal';

export interface SocketError {
  code: SocketErrorCode;
  message: string;
}

export type SocketReply<T> = { ok: true; data: T } | { ok: false; error: SocketError };
