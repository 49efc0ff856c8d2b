/**
 * The one place that says what a guest may do (docs/guests.md). A guest socket's requests pass
 * {@link guestMayUse} before any gateway sees them: joining and leaving the call they were admitted
 * to, their own media, hand and reactions, ICE servers, the lobby, and the requests of the call's
 * provider's own namespace (its media, e.g. `webrtc.*`, authorized there as for anyone joined).
 * Everything else (the room's chat, starting, recording, host controls, the directory, admin) is
 * refused `forbidden`. Over REST a guest has no session at all: every route but the public ones
 * answers 401.
 */
import type { SocketReply } from '@parley/protocol';
import type { Socket } from 'socket.io';

export const GUEST_REQUESTS: ReadonlySet<string> = new Set([
  'guest.knock',
  'call.join',
  'call.hangup',
  'call.media',
  'call.hand',
  'call.reaction',
  'call.current',
  'ice.config',
]);

/** Whether a guest in a call of `providerType` may send request `event`. */
export function guestMayUse(event: unknown, providerType: string): boolean {
  if (typeof event !== 'string') return false;
  return GUEST_REQUESTS.has(event) || event.startsWith(`${providerType}.`);
}

type Ack = (reply: SocketReply<never>) => void;

/** Installs the guard on a guest's socket: a refused request is answered at once, never run. */
export function guardGuestSocket(socket: Pick<Socket, 'use'>, providerType: string): void {
  socket.use((packet, next) => {
    const [event] = packet;
    if (guestMayUse(event, providerType)) return next();
    const last: unknown = packet[packet.length - 1];
    const shown = typeof event === 'string' ? event.slice(0, 64) : 'this';
    if (packet.length > 1 && typeof last === 'function') {
      (last as Ack)({ ok: false, error: { code: 'forbidden', message: `Guests cannot use ${shown}` } });
    }
  });
}
