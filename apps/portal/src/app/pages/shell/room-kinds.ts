import type { RoomKind } from '@parley/protocol';

/** One-character icons of the room kinds (sidebar, room header). */
export const ROOM_KIND_ICONS: Readonly<Record<RoomKind, string>> = {
  space: '◆',
  chat: '#',
  group: '⋯',
  direct: '@',
};
