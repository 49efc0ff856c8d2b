import { Logger } from '@nestjs/common';
import type { SocketError } from '@parley/connector-sdk';
import { setUpCalls, type TestCalls } from '../testing';

describe('GroupCalls', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let t: TestCalls;

  beforeEach(() => {
    t = setUpCalls({ maxParticipants: 2 });
  });

  afterEach(() => t.close());

  it('a start makes the room’s one call (starter joined and host, members told, thread posted)', async () => {
    const call = await t.groups.start({ userId: 'alice' }, 'r1', 'webrtc', '  Weekly sync  ');
    expect(call).toMatchObject({
      kind: 'group',
      state: 'active',
      hostId: 'alice',
      title: 'Weekly sync',
      threadId: 'm1',
      maxParticipants: 2,
    });
    expect(t.posts).toEqual([{ roomId: 'r1', body: '📞 Call started: Weekly sync' }]);
    expect(t.pushed('call.room.started')).toEqual([
      [['alice', 'bob', 'carol'], expect.objectContaining({ roomId: 'r1', call, ring: false })],
    ]);
    expect(t.groups.roomCallId('r1')).toBe(call.id);
    const again = await t.groups.start({ userId: 'bob' }, 'r1', 'webrtc', null);
    expect(again.id).toBe(call.id);
    expect(t.posts).toHaveLength(1);
  });

  it('roomJoin after a start joins the same call; with no call it starts one', async () => {
    const call = await t.groups.start({ userId: 'alice' }, 'r1', 'webrtc', null);
    const joined = await t.groups.roomJoin({ userId: 'bob' }, 'r1');
    expect(joined.call.id).toBe(call.id);
    expect(joined.call.participants.filter((p) => p.state === 'joined').map((p) => p.userId)).toEqual([
      'alice',
      'bob',
    ]);
    expect(joined.joinInfo).toEqual({ room: call.id, user: 'bob' });
    expect(t.lifecycle.currentCallOf('bob')?.id).toBe(call.id);

    const direct = await t.groups.roomJoin({ userId: 'alice' }, 'dm').catch((e: SocketError) => e.code);
    expect(direct).toBe('conflict'); // alice is in r1's call already
    const started = await t.groups.roomJoin({ userId: 'carol' }, 'r1').catch((e: SocketError) => e.message);
    expect(started).toBe('The call is full (max 2 participants)');
  });

  it('only members see, start or join a room’s call', async () => {
    const code = (work: Promise<unknown>) => work.then(() => 'ok').catch((e: SocketError) => e.code);
    expect(await code(t.groups.start({ userId: 'carol' }, 'dm', 'webrtc', null))).toBe('forbidden');
    expect(await code(t.groups.roomCall('carol', 'dm'))).toBe('forbidden');
    expect(await code(t.groups.roomCall('alice', 'nowhere'))).toBe('not_found');
    expect(await code(t.groups.start({ userId: 'alice' }, 'r1', 'dial', null))).toBe('bad_request');
    const call = await t.groups.start({ userId: 'alice' }, 'dm', 'webrtc', null);
    expect(await code(t.groups.join({ userId: 'carol' }, t.store.get(call.id)!))).toBe('forbidden');
    expect(await t.groups.roomCall('bob', 'dm')).toEqual({ roomId: 'dm', call, link: '/rooms/dm/call' });
  });

  it('leaving passes the host on; the last one out ends the call and frees the room', async () => {
    const call = await t.groups.start({ userId: 'alice' }, 'r1', 'webrtc', null);
    await t.groups.roomJoin({ userId: 'bob' }, 'r1');
    const afterAlice = t.groups.hangup({ userId: 'alice' }, call.id);
    expect(afterAlice).toMatchObject({ state: 'active', hostId: 'bob' });
    expect(t.lifecycle.currentCallOf('alice')).toBeNull();
    const ended = t.groups.leave(t.store.get(call.id)!, 'bob', null);
    expect(ended).toMatchObject({ state: 'ended', outcome: 'completed', endReason: 'everyone left' });
    expect(t.pushed('call.ended').map(([userIds]) => userIds)).toEqual([['alice', 'bob']]);
    expect(t.groups.roomCallId('r1')).toBeNull();
    expect(t.historyOf(call.id)).toEqual(['created', 'joined', 'joined', 'left', 'left', 'ended']);
  });

  it('when the thread cannot be posted the call goes on without one', async () => {
    t.close();
    t = setUpCalls({ postFails: true });
    const call = await t.groups.start({ userId: 'alice' }, 'r1', 'webrtc', null);
    expect(call).toMatchObject({ state: 'active', threadId: null });
  });
});
