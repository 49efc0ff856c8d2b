import { callsForEachTest } from '../testing';

describe('CallService (requests on either kind of call)', () => {
  const t = callsForEachTest({ reconnectGraceSeconds: 20 });

  it('routes a start by target: a user rings, a room gets its group call', async () => {
    const oneToOne = await t.calls.start(
      { userId: 'alice' },
      { providerType: 'webrtc', target: { kind: 'user', userId: 'bob' } },
    );
    expect(oneToOne).toMatchObject({ kind: 'one-to-one', state: 'ringing' });
    const group = await t.calls.start(
      { userId: 'carol' },
      { providerType: 'webrtc', target: { kind: 'room', roomId: 'r1' }, title: 'Standup' },
    );
    expect(group).toMatchObject({ kind: 'group', title: 'Standup' });
    expect(t.groups.roomCallId('r1')).toBe(group.id);
  });

  it('routes join and hang-up by the call', async () => {
    const group = await t.calls.start(
      { userId: 'alice' },
      { providerType: 'webrtc', target: { kind: 'room', roomId: 'r1' } },
    );
    await t.calls.join({ userId: 'bob' }, group.id);
    expect(t.calls.hangup({ userId: 'alice' }, group.id)).toMatchObject({ state: 'active', hostId: 'bob' });

    const call = await t.calls.start(
      { userId: 'alice' },
      { providerType: 'webrtc', target: { kind: 'user', userId: 'carol' } },
    );
    await t.oneToOne.answer({ userId: 'carol' }, call.id);
    await t.calls.join({ userId: 'alice' }, call.id);
    expect(t.calls.hangup({ userId: 'alice' }, call.id)).toMatchObject({
      outcome: 'completed',
      endReason: 'Alice left',
    });
  });

  it('a user whose last tab is gone leaves after the grace time; a ringing callee rings out instead', async () => {
    const group = await t.calls.start(
      { userId: 'alice' },
      { providerType: 'webrtc', target: { kind: 'room', roomId: 'r1' } },
    );
    const ringing = await t.calls.start(
      { userId: 'bob' },
      { providerType: 'webrtc', target: { kind: 'user', userId: 'carol' } },
    );
    t.calls.userDisconnected('alice');
    t.calls.userDisconnected('carol');
    jest.advanceTimersByTime(20_000);
    expect(t.lifecycle.get(group.id, 'alice')).toMatchObject({ state: 'ended', endReason: 'everyone left' });
    expect(t.lifecycle.get(ringing.id, 'carol').state).toBe('ringing');
  });
});
