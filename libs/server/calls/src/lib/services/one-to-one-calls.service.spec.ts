import type { SocketError } from '@parley/connector-sdk';
import { callsForEachTest } from '../testing';

describe('OneToOneCalls', () => {
  const t = callsForEachTest({ ringTimeoutSeconds: 30 });

  it('a call makes the callee ring (every tab) and the caller busy', async () => {
    const call = await t.oneToOne.start({ userId: 'alice', socketId: 's1' }, 'bob', 'webrtc');
    expect(call).toMatchObject({ state: 'ringing', kind: 'one-to-one', callerId: 'alice' });
    expect(t.pushed('call.incoming')).toEqual([
      [['bob'], { call, caller: expect.objectContaining({ id: 'alice', displayName: 'Alice' }) }],
    ]);
    expect(t.pushes.find((p) => p.event === 'call.updated')).toMatchObject({
      userIds: ['alice'],
      exceptSocketId: 's1',
    });
    expect(t.historyOf(call.id)).toEqual(['created', 'ringing']);
    expect(t.lifecycle.currentCallOf('bob')?.id).toBe(call.id);
    await expect(t.oneToOne.start({ userId: 'alice' }, 'carol', 'webrtc')).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('refuses calling oneself, an unknown user, and a provider without one-to-one calls', async () => {
    const refused = (calleeId: string, provider: string) =>
      t.oneToOne.start({ userId: 'alice' }, calleeId, provider).catch((e: SocketError) => e.code);
    expect(await refused('alice', 'webrtc')).toBe('bad_request');
    expect(await refused('zoe', 'webrtc')).toBe('not_found');
    expect(await refused('bob', 'nope')).toBe('not_found');
    expect(t.lifecycle.currentCallOf('alice')).toBeNull();
  });

  it('a callee in dnd does not ring: the call ends missed at once and they get a notice', async () => {
    const call = await t.oneToOne.start({ userId: 'alice' }, 'dave', 'webrtc');
    expect(call).toMatchObject({ state: 'ended', outcome: 'missed', endReason: 'not available' });
    expect(t.pushed('call.incoming')).toEqual([]);
    expect(t.pushed('call.missed').map(([userIds]) => userIds)).toEqual([['dave']]);
    expect(t.historyOf(call.id)).toEqual(['created', 'missed']);
    expect(t.lifecycle.currentCallOf('alice')).toBeNull();
  });

  it('a callee in another call is busy', async () => {
    await t.oneToOne.start({ userId: 'carol' }, 'bob', 'webrtc');
    const call = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    expect(call).toMatchObject({ state: 'ended', outcome: 'busy' });
    expect(t.lifecycle.currentCallOf('alice')).toBeNull();
  });

  it('a decline ends the call with its reason and stops the callee’s other tabs', async () => {
    const call = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    const ended = t.oneToOne.decline({ userId: 'bob', socketId: 'tab-2' }, call.id);
    expect(ended).toMatchObject({ state: 'ended', outcome: 'declined', endReason: 'declined' });
    expect(t.pushes.find((p) => p.event === 'call.ring.stop')).toMatchObject({
      userIds: ['bob'],
      data: { callId: call.id, reason: 'declined_elsewhere' },
      exceptSocketId: 'tab-2',
    });
    expect(t.pushed('call.ended')[0]).toEqual([['alice', 'bob'], { call: ended, reason: 'declined' }]);
    expect(t.lifecycle.currentCallOf('alice')).toBeNull();
  });

  it('with no answer the ring times out: missed, and the callee stops ringing', async () => {
    const call = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    jest.advanceTimersByTime(29_000);
    expect(t.lifecycle.get(call.id, 'alice').state).toBe('ringing');
    jest.advanceTimersByTime(1_000);
    expect(t.lifecycle.get(call.id, 'alice')).toMatchObject({ outcome: 'missed', endReason: 'no answer' });
    expect(t.pushed('call.ring.stop')).toEqual([[['bob'], { callId: call.id, reason: 'missed' }]]);
    expect(t.pushed('call.missed').map(([userIds]) => userIds)).toEqual([['bob']]);
  });

  it('answering joins the callee (no ring timeout after), the caller joins, a hang-up completes it', async () => {
    const call = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    const answered = await t.oneToOne.answer({ userId: 'bob' }, call.id);
    expect(answered.joinInfo).toEqual({ room: call.id, user: 'bob' });
    expect(answered.call.state).toBe('active');
    jest.advanceTimersByTime(60_000);
    const live = t.lifecycle.access(call.id, 'alice');
    await t.oneToOne.join({ userId: 'alice' }, live);
    expect(live.machine.joinedIds.sort()).toEqual(['alice', 'bob']);
    const ended = t.oneToOne.hangup({ userId: 'bob' }, live);
    expect(ended).toMatchObject({ outcome: 'completed', endReason: 'Bob left' });
    expect(t.historyOf(call.id).join(' ')).toBe('created ringing answered joined joined left left ended');
  });

  it('a hang-up while ringing is the caller cancelling; a lost provider ends the call failed', async () => {
    const first = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    expect(t.oneToOne.hangup({ userId: 'alice' }, t.lifecycle.access(first.id, 'alice'))).toMatchObject({
      outcome: 'cancelled',
    });
    expect(t.pushed('call.ring.stop')).toEqual([[['bob'], { callId: first.id, reason: 'cancelled' }]]);

    const second = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    await t.oneToOne.answer({ userId: 'bob' }, second.id);
    const live = t.lifecycle.access(second.id, 'bob');
    expect(t.oneToOne.hangup({ userId: 'bob' }, live, { providerUnavailable: true })).toMatchObject({
      outcome: 'failed',
      endReason: 'Built-in WebRTC, the call provider, is unavailable',
    });
  });
});
