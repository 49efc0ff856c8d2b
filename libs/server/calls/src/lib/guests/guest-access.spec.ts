import type { SocketReply } from '@parley/protocol';
import type { Socket } from 'socket.io';
import { guardGuestSocket, guestMayUse } from './guest-access';

type Middleware = (packet: unknown[], next: (error?: Error) => void) => void;

describe('guest access (the one check of what a guest may send)', () => {
  it('lets a guest join, leave, use own media and the call provider’s namespace, and nothing else', () => {
    for (const event of [
      'guest.knock',
      'call.join',
      'call.hangup',
      'call.media',
      'call.hand',
      'ice.config',
      'webrtc.produce',
    ]) {
      expect(guestMayUse(event, 'webrtc')).toBe(true);
    }
    for (const event of [
      'room.send',
      'call.start',
      'call.room.join',
      'call.recording.start',
      'call.host.mute',
      'call.host.remove',
      'call.end',
      'call.guests.link',
      'call.lobby.admit',
      'presence.set',
      'session.whoami',
      'admin.providers',
      'jitsi.anything',
      42,
    ]) {
      expect(guestMayUse(event, 'webrtc')).toBe(false);
    }
  });

  it('answers a refused request forbidden at once and never passes it on', () => {
    let middleware: Middleware | undefined;
    guardGuestSocket(
      { use: (fn: Middleware) => (middleware = fn) } as unknown as Pick<Socket, 'use'>,
      'webrtc',
    );
    const replies: SocketReply<never>[] = [];
    const next = jest.fn();
    middleware?.(
      ['room.send', { roomId: 'r1', body: 'hi' }, (reply: SocketReply<never>) => replies.push(reply)],
      next,
    );
    expect(next).not.toHaveBeenCalled();
    expect(replies).toEqual([
      { ok: false, error: { code: 'forbidden', message: 'Guests cannot use room.send' } },
    ]);
    middleware?.(['call.join', { callId: 'c1' }, () => undefined], next);
    expect(next).toHaveBeenCalledWith();
  });
});
