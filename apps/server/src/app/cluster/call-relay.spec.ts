import { routeOf } from './call-relay';

describe('routeOf: which call a socket request is about (cluster mode)', () => {
  it('routes room events and room-target starts by the room', () => {
    expect(routeOf('call.room.join', { roomId: 'r1' }, 'u1')).toEqual({ kind: 'room', id: 'r1' });
    expect(routeOf('call.room.get', { roomId: 'r1' }, 'u1')).toEqual({ kind: 'room', id: 'r1' });
    expect(
      routeOf('call.start', { target: { kind: 'room', roomId: 'r1' }, providerType: 'webrtc' }, 'u1'),
    ).toEqual({ kind: 'room', id: 'r1' });
  });

  it('places a one-to-one start where it is sent', () => {
    expect(routeOf('call.start', { target: { kind: 'user', userId: 'u2' } }, 'u1')).toBeNull();
  });

  it('routes by the call id when the payload names one, else by the sender', () => {
    expect(routeOf('call.answer', { callId: 'c1' }, 'u1')).toEqual({ kind: 'call', id: 'c1' });
    expect(routeOf('webrtc.transport.create', { callId: 'c1', direction: 'send' }, 'u1')).toEqual({
      kind: 'call',
      id: 'c1',
    });
    expect(routeOf('webrtc.consumer.resume', { consumerId: 'x' }, 'u1')).toEqual({ kind: 'user', id: 'u1' });
    expect(routeOf('call.current', {}, 'u1')).toEqual({ kind: 'user', id: 'u1' });
  });

  it('leaves everything else (and malformed payloads of room events) to this node', () => {
    expect(routeOf('room.send', { roomId: 'r1', body: 'hi' }, 'u1')).toBeNull();
    expect(routeOf('presence.set', { presence: 'away' }, 'u1')).toBeNull();
    expect(routeOf('call.room.join', { roomId: 42 }, 'u1')).toBeNull();
    expect(routeOf('call.answer', 'not an object', 'u1')).toEqual({ kind: 'user', id: 'u1' });
  });
});
