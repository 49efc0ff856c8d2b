import { Logger } from '@nestjs/common';
import type { SocketError } from '@parley/connector-sdk';
import { setUpCalls, type TestCalls } from '../testing';
import { SHUTTING_DOWN_MESSAGE } from './call-admission';

/** The pieces the server's drain uses: refusing new calls, counting and ending the live ones. */
describe('CallAdmission and ending every call (the drain)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let t: TestCalls;

  beforeEach(() => {
    t = setUpCalls();
  });

  afterEach(() => t.close());

  const refusal = (work: Promise<unknown>) =>
    work.then(
      () => 'started',
      (e: SocketError) => `${e.code}: ${e.message}`,
    );

  it('once closed, refuses every new call but lets members join a live one', async () => {
    const live = await t.groups.start({ userId: 'alice' }, 'r1', 'webrtc', null);
    expect(t.admission.open).toBe(true);
    t.admission.close();
    expect(t.admission.open).toBe(false);
    const refused = `unavailable: ${SHUTTING_DOWN_MESSAGE}`;
    expect(await refusal(t.oneToOne.start({ userId: 'carol' }, 'bob', 'webrtc'))).toBe(refused);
    expect(await refusal(t.groups.start({ userId: 'alice' }, 'dm', 'webrtc', null))).toBe(refused);
    expect(await refusal(t.groups.roomJoin({ userId: 'alice' }, 'dm'))).toBe(refused);
    // The room's live call is no new call: asking to start it returns it, and members may join.
    expect((await t.groups.start({ userId: 'bob' }, 'r1', 'webrtc', null)).id).toBe(live.id);
    expect((await t.groups.roomJoin({ userId: 'bob' }, 'r1')).call.id).toBe(live.id);
  });

  it('endAll ends every live call like "end for everyone": completed, or cancelled while ringing', async () => {
    const group = await t.groups.start({ userId: 'alice' }, 'r1', 'webrtc', null);
    const ringing = await t.oneToOne.start({ userId: 'carol' }, 'bob', 'webrtc');
    expect(ringing.state).toBe('ringing');
    expect(t.lifecycle.liveCallCount()).toBe(2);

    const ended = t.lifecycle.endAll('the server is shutting down');
    expect(ended.map((call) => [call.id, call.state, call.outcome, call.endReason])).toEqual([
      [group.id, 'ended', 'completed', 'the server is shutting down'],
      [ringing.id, 'ended', 'cancelled', 'the server is shutting down'],
    ]);
    expect(ended[0].participants.every((p) => p.state === 'left' && p.leftAt === ended[0].endedAt)).toBe(
      true,
    );
    expect(t.lifecycle.liveCallCount()).toBe(0);
    expect(t.historyOf(group.id)).toEqual(['created', 'joined', 'left', 'ended']);
    expect(t.historyOf(ringing.id)).toEqual(['created', 'ringing', 'cancelled']);
    expect(t.pushed('call.ring.stop')).toEqual([[['bob'], { callId: ringing.id, reason: 'cancelled' }]]);
    expect(t.pushed('call.ended').map(([userIds]) => userIds)).toEqual([['alice'], ['carol', 'bob']]);
    // Nothing left: a second round ends nothing.
    expect(t.lifecycle.endAll('again')).toEqual([]);
  });
});
