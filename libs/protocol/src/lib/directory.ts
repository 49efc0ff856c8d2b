/** Presence of a user, as shown next to their avatar everywhere in the portal. */
export type Presence = 'available' | 'away' | 'dnd' | 'offline';
export const PRESENCES: readonly Presence[] = ['available', 'away', 'dnd', 'offline'];

/** A user as every other signed-in user may see them. */
export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  /** URL of the avatar image (served by the server). */
  avatarUrl: string;
  presence: Presence;
}

/** The profile page of a user. */
export interface UserProfile extends UserSummary {
  email: string | null;
  title: string | null;
  /** Names of the groups the user belongs to, e.g. `platform/administrators`. */
  groups: string[];
  isAdmin: boolean;
}

/** Direct message, group message, chat room or space (Mattermost/eXo vocabulary). */
export type RoomKind = 'direct' | 'group' | 'chat' | 'space';
export const ROOM_KINDS: readonly RoomKind[] = ['direct', 'group', 'chat', 'space'];

export interface RoomSummary {
  id: string;
  kind: RoomKind;
  /** Stable, URL-safe name (`town-square`); for direct messages derived from the two user ids. */
  name: string;
  /** What the portal shows; for a direct message, the other person's display name. */
  title: string;
  memberIds: string[];
  /** ISO time of the latest message, or null when the room is empty. */
  lastMessageAt: string | null;
}

export interface ChatMessage {
  id: string;
  roomId: string;
  authorId: string;
  body: string;
  /** ISO 8601. */
  createdAt: string;
  /**
   * A reply to a slash command meant for one user only (`room.ephemeral` push): not stored, not
   * seen by the other members. Absent on stored messages.
   */
  ephemeral?: boolean;
  /**
   * A reply in a thread: the id of the thread's root message (same room), else null/absent. The
   * room's stream lists root messages only; `GET /api/rooms/:id/messages?thread=<rootId>` lists a
   * thread. A group call's chat is the thread of its "call started" message (`CallInfo.threadId`).
   */
  threadId?: string | null;
  /** Root messages: how many replies the thread has (0 when none). */
  replyCount?: number;
  /** A file posted with the message (e.g. a call recording), else null/absent. */
  attachment?: MessageAttachment | null;
}

/**
 * A file attached to a message. Download it at `url`: members of the room only (others get 403),
 * streamed with HTTP range requests.
 */
export interface MessageAttachment {
  kind: 'recording';
  /** Id of the file (a recording id). */
  id: string;
  /** File name offered on download, e.g. `call-2026-11-22-1930.webm`. */
  name: string;
  mimeType: string;
  sizeBytes: number;
  /** Recordings: length in milliseconds. */
  durationMs: number;
  /** Server path, `/api/recordings/<id>/file`. */
  url: string;
}

/** An entry of the activity stream. */
export interface ActivityPost {
  id: string;
  authorId: string;
  body: string;
  createdAt: string;
}
