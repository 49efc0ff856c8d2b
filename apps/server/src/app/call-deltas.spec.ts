/**
 * Group-call signalling grows with the call, not with its square (#18), over real sockets against
 * the real app: a participant who holds the call gets each later join, mute or hand as a
 * `call.delta` carrying that one participant; the joiner and a participant back from a dropped
 * socket get the whole call; room members outside the call get the banner (`call.room.updated`),
 * participants do not. Raw socket events are read here, not the test tab's reassembled ones.
 */
import type { CallDelta, CallInfo, CallRoomUpdatedEvent } from '@parley/protocol';
import { RoomService } from '@parley/server-directory';
import type { Socket } from 'socket.io-client';
import { signInAll, startTestApp, useLoopbackSfu, type TestApp, type TestTab, until } from './testing';

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'] as const;
type Name = (typeof USERS)[number];

/** Every raw push of `event` on the socket from now on. */
function raw<T>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (data: T) => seen.push(data));
  return seen;
}

describe('group-call deltas (integration)', () => {
  let t: TestApp;
  const token = {} as Record<Name, string>;
  const id = {} as Record<Name, string>;
  const tab = {} as Record<Name, TestTab>;
  let roomId: string;

  beforeAll(async () => {
    t = await startTestApp({ CALL_RECONNECT_GRACE_SECONDS: '30' });
    await signInAll(t, USERS, token, id);
    await useLoopbackSfu(t, token.alice);
    roomId = (
      await t.app.get(RoomService).createRoom(
        'chat',
        'delta-room',
        'Delta room',
        USERS.map((name) => id[name]),
      )
    ).id;
    for (const name of USERS) tab[name] = await t.tab(token[name]);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('sends holders only what changed, the whole call to the joiner, the banner to members outside', async () => {
    const aliceUpdates = raw<CallInfo>(tab.alice.socket, 'call.updated');
    const aliceDeltas = raw<CallDelta>(tab.alice.socket, 'call.delta');
    const aliceBanners = raw<CallRoomUpdatedEvent>(tab.alice.socket, 'call.room.updated');
    const erinBanners = raw<CallRoomUpdatedEvent>(tab.erin.socket, 'call.room.updated');
    const call = await tab.alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'room', roomId },
    });

    // bob joins: the first push of the call, whole to everyone in it.
    const bobUpdates = raw<CallInfo>(tab.bob.socket, 'call.updated');
    await tab.bob.ok('call.join', { callId: call.id });
    await until('alice to get the call with bob', async () => (aliceUpdates.length > 0 ? true : undefined));
    const base = aliceUpdates.at(-1)!;
    expect(base.participants.map((p) => p.userId).sort()).toEqual([id.alice, id.bob].sort());

    // carol and dave join: alice and bob, who hold the call, get one participant each time.
    for (const name of ['carol', 'dave'] as const) {
      const deltaSeen = tab.alice.next('call.updated', (c) =>
        c.participants.some((p) => p.userId === id[name]),
      );
      const joinerGotWhole = tab[name].next('call.updated', () => true);
      await tab[name].ok('call.join', { callId: call.id });
      await deltaSeen;
      expect((await joinerGotWhole).participants.length).toBeGreaterThanOrEqual(3);
    }
    expect(aliceUpdates).toHaveLength(1);
    expect(aliceDeltas.map((d) => d.participants?.map((p) => p.userId))).toEqual([[id.carol], [id.dave]]);
    expect(aliceDeltas.map((d) => d.baseVersion)).toEqual([base.version, base.version! + 1]);
    expect(bobUpdates).toHaveLength(1);

    // A mute is a delta of one participant, no call fields.
    const muted = tab.alice.next('call.updated', (c) =>
      c.participants.some((p) => p.userId === id.dave && p.muted),
    );
    await tab.dave.ok('call.media', { callId: call.id, muted: true, cameraOff: false });
    await muted;
    expect(aliceDeltas.at(-1)).toEqual({
      callId: call.id,
      roomId,
      baseVersion: base.version! + 2,
      version: base.version! + 3,
      participants: [expect.objectContaining({ userId: id.dave, muted: true })],
    });

    // The banner went to erin (outside the call) for every change, never to the participants.
    await until('erin to see the mute on the banner', async () =>
      erinBanners.at(-1)?.call.participants.some((p) => p.userId === id.dave && p.muted) ? true : undefined,
    );
    expect(aliceBanners).toHaveLength(0);
    expect(JSON.stringify(aliceDeltas.at(-1)).length).toBeLessThan(JSON.stringify(base).length);
  });

  it('gives a participant back from a dropped socket the whole call again', async () => {
    const call = (await tab.erin.ok('call.room.get', { roomId })).call!;
    tab.dave.close();
    await until('dave to be reconnecting', async () => {
      const now = (await tab.erin.ok('call.room.get', { roomId })).call!;
      return now.participants.some((p) => p.userId === id.dave && p.reconnecting) ? true : undefined;
    });
    // The new socket holds nothing: the server must send it the whole call (on connect, when he
    // stops reconnecting), or the test tab, which applies deltas as the widget does, fails.
    const dave = await t.tab(token.dave);
    const deltas = raw<CallDelta>(dave.socket, 'call.delta');
    await dave.ok('call.join', { callId: call.id });
    // The next change reaches him as a delta that fits what he holds (the test tab would fail otherwise).
    const handSeen = dave.next('call.updated', (c) =>
      c.participants.some((p) => p.userId === id.bob && !!p.handRaisedAt),
    );
    await tab.bob.ok('call.hand', { callId: call.id, raised: true });
    await handSeen;
    expect(deltas.length).toBeGreaterThan(0);
  });
});
