import type { Presence, UserProfile } from './directory';

/** REST routes (all under `/api`). Documented with OpenAPI at `/api/docs`. */
export const API = {
  login: '/api/auth/login',
  logout: '/api/auth/logout',
  session: '/api/auth/session',
  /**
   * POST `SetupRequest`: creates the first administrator with the one-time setup token printed in
   * the server log (only while the directory has no users; 409 afterwards).
   */
  setup: '/api/auth/setup',
  /** Exchange a token signed by the host portal for a Parley session (SSO). */
  portalToken: '/api/auth/portal-token',
  users: '/api/users',
  user: (id: string) => `/api/users/${encodeURIComponent(id)}`,
  myPresence: '/api/me/presence',
  /** GET `UserImAccount`[]: a user's IM accounts (any signed-in user, like the profile). */
  userImAccounts: (id: string) => `/api/users/${encodeURIComponent(id)}/im-accounts`,
  /** PUT `SetImAccountRequest` (answers the `UserImAccount`), DELETE (204): my account for a provider. */
  myImAccount: (type: string) => `/api/me/im-accounts/${encodeURIComponent(type)}`,
  rooms: '/api/rooms',
  room: (id: string) => `/api/rooms/${encodeURIComponent(id)}`,
  roomMessages: (id: string) => `/api/rooms/${encodeURIComponent(id)}/messages`,
  /** GET `RoomCallInfo` (members only): the room's live call and its permanent call link. */
  roomCall: (id: string) => `/api/rooms/${encodeURIComponent(id)}/call`,
  /** GET a recording file (members of its room only, 403 otherwise; HTTP range requests). */
  recordingFile: (id: string) => `/api/recordings/${encodeURIComponent(id)}/file`,
  /**
   * DELETE a recording (204): the host who recorded it or an administrator (403 for other members,
   * 404 unknown); its file and row go, and its post in the thread says it was deleted.
   */
  recording: (id: string) => `/api/recordings/${encodeURIComponent(id)}`,
  /** Get or create the direct-message room with a user. */
  directRoom: '/api/rooms/direct',
  posts: '/api/posts',
  health: '/api/health',
  /** Providers the signed-in user may call with (`ProviderDescriptor`[]). */
  providers: '/api/providers',
  /** The client half (ES module) of an active provider. */
  providerClient: (type: string) => `/api/providers/${encodeURIComponent(type)}/client.js`,
  /** `IceConfig` for the signed-in user (short-lived TURN credentials). */
  iceConfig: '/api/ice-config',
  /** Admins only: `AdminProvidersResponse`; PUT `ProvidersOrderUpdate` reorders. */
  adminProviders: '/api/admin/providers',
  /** Admins only: GET `AdminProvider`, PUT `ProviderUpdate`. */
  adminProvider: (type: string) => `/api/admin/providers/${encodeURIComponent(type)}`,
  /** Admins only: POST runs the connector's `check()`, answers `ProviderHealth`. */
  adminProviderCheck: (type: string) => `/api/admin/providers/${encodeURIComponent(type)}/check`,
  /** Admins only: GET `AdminIceSettings`, POST `IceServerInput`, PUT `IceSettingsUpdate`. */
  adminIceServers: '/api/admin/ice-servers',
  /** Admins only: PUT `IceServerInput` (patch), DELETE. */
  adminIceServer: (id: string) => `/api/admin/ice-servers/${encodeURIComponent(id)}`,
  /** Admins only: POST answers `IceServerTest` for that one server. */
  adminIceServerTest: (id: string) => `/api/admin/ice-servers/${encodeURIComponent(id)}/test`,
  /** Admins only: `AuditEntry`[], newest first (`AuditQuery`). */
  adminAudit: '/api/admin/audit',
  /** Admins only: GET `RetentionSettings`, PUT `RetentionSettings` (answers the saved settings). */
  adminRetention: '/api/admin/retention',
  /** GET `AdminLiveCalls`: this node's live calls with each participant's media summary. */
  adminCalls: '/api/admin/calls',
  /** GET `AdminParticipantStats`: one participant's media with the provider's full stats (`/call stats`). */
  adminCallParticipantStats: (callId: string, userId: string) =>
    `/api/admin/calls/${encodeURIComponent(callId)}/participants/${encodeURIComponent(userId)}/stats`,
  /** `CallHistoryResponse` for the signed-in user (`CallHistoryQuery`: `?userId=&limit=`). */
  callHistory: '/api/calls/history',
  /** GET `UserPreferences`, PUT `UserPreferencesUpdate` (answers the new `UserPreferences`). */
  myPreferences: '/api/me/preferences',
} as const;

/** Name of the httpOnly session cookie. A `Authorization: Bearer <token>` header works too. */
export const SESSION_COOKIE = 'parley_session';

export interface LoginRequest {
  username: string;
  password: string;
}

export interface PortalTokenRequest {
  /** JWT signed by the host portal (HS256 shared secret or RS256 key pair). */
  token: string;
}

/** `GET /api/auth/session`: who is signed in. Never the token (the httpOnly cookie carries it). */
export interface SessionInfo {
  user: UserProfile;
  /** ISO time when the session expires. */
  expiresAt: string;
}

/**
 * A sign-in's answer (`login`, `portal-token`, `setup`) to a client that is not a browser (no
 * `Origin` header): the session token to send as `Authorization: Bearer` or socket `auth.token`.
 * A browser gets {@link SessionInfo} and the httpOnly cookie only.
 */
export interface SessionResponse extends SessionInfo {
  token: string;
}

/** `POST /api/auth/setup`: the first administrator of an empty directory. */
export interface SetupRequest {
  /** The one-time setup token from the server log. */
  token: string;
  username: string;
  password: string;
  displayName: string;
}

export interface SetPresenceRequest {
  presence: Presence;
}

/**
 * `POST /api/rooms/:id/messages`. A body starting with `/call` is a slash command: the answer is
 * the ephemeral reply (`ephemeral: true`, not stored), see docs/calls.md "Slash commands".
 */
export interface SendMessageRequest {
  body: string;
  /** Reply in this thread: the id of a root message of the same room. */
  threadId?: string;
}

/** Portal path of a room's permanent call link (the portal opens the room and joins its call). */
export const roomCallLink = (roomId: string) => `/rooms/${encodeURIComponent(roomId)}/call`;

export interface DirectRoomRequest {
  userId: string;
}

export interface CreatePostRequest {
  body: string;
}

/** Query of `GET /api/rooms/:id/messages`: newest first, paged backwards. */
export interface MessagesQuery {
  /** ISO time: only messages strictly older than this. */
  before?: string;
  /** 1..200, default 50. */
  limit?: number;
  /** The replies of this thread (a root message id of the room) instead of the room's root messages. */
  thread?: string;
}

/** Every error response has this shape (NestJS's default, kept on purpose). */
export interface ApiError {
  statusCode: number;
  message: string | string[];
  error?: string;
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  checks: Record<string, { status: 'up' | 'down'; detail?: string }>;
}
