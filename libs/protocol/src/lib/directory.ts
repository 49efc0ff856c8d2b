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
}

/** An entry of the activity stream. */
export interface ActivityPost {
  id: string;
  authorId: string;
  body: string;
  createdAt: string;
}
