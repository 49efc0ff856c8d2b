import type { Presence } from '@parley/protocol';

export const PRESENCE_LABELS: Readonly<Record<Presence, string>> = {
  available: 'Available',
  away: 'Away',
  dnd: 'Do not disturb',
  offline: 'Offline',
};
