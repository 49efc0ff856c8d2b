import { Logger } from '@nestjs/common';
import type { ConnectorCall } from '@parley/connector-sdk';
import { setUpCalls, type TestCalls } from '../testing';

/** A `prepare` that answers when the test says so, counting its runs. */
function gatedPrepare() {
  const runs: string[] = [];
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  let failWith: string | null = null;
  return {
    runs,
    release: () => open(),
    failNext: (message: string) => {
      failWith = message;
    },
    reset: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    prepare: async (call: ConnectorCall) => {
      runs.push(call.id);
      await gate;
      if (failWith) {
        const message = failWith;
        failWith = null;
        throw new Error(message);
      }
      return { meetingId: `meeting-${call.id}` };
    },
  };
}

describe('the provider lifecycle of a call (prepare once, hooks in order)', () => {
  beforeAll(() => Logger.overrideLogger(false));
  let t: TestCalls;
  afterEach(() => t.close());

  it('N concurrent call.joins of one call make exactly one prepare, whose result reaches every joinInfo', async () => {
    const gate = gatedPrepare();
    t = setUpCalls({ prepare: gate.prepare });
    const call = await t.calls.start(
      { userId: 'alice' },
      { providerType: 'webrtc', target: { kind: 'room', roomId: 'r1' } },
    );
    const joins = ['alice', 'bob', 'carol'].map((userId) => t.calls.join({ userId }, call.id));
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.runs).toEqual([call.id]); // started when the call was created, shared by the joins
    gate.release();
    const joined = await Promise.all(joins);
    expect(gate.runs).toEqual([call.id]);
    expect(joined.map((j) => j.joinInfo)).toEqual(
      ['alice', 'bob', 'carol'].map((user) => ({ room: call.id, user, meetingId: `meeting-${call.id}` })),
    );
    expect(t.hooks.filter((h) => h.startsWith('prepare'))).toHaveLength(1);
  });

  it('a failed prepare is answered with the provider’s message, leaves the call ringing, and is retried by the next join', async () => {
    const gate = gatedPrepare();
    gate.failNext('BigBlueButton answered FAILED: checksumError');
    gate.release();
    t = setUpCalls({ prepare: gate.prepare });
    const call = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    await expect(t.oneToOne.answer({ userId: 'bob' }, call.id)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'Built-in WebRTC could not set up the call: BigBlueButton answered FAILED: checksumError',
    });
    expect(t.lifecycle.get(call.id, 'alice').state).toBe('ringing');
    const answered = await t.oneToOne.answer({ userId: 'bob' }, call.id);
    expect(answered.joinInfo).toMatchObject({ meetingId: `meeting-${call.id}` });
    const caller = await t.calls.join({ userId: 'alice' }, call.id);
    expect(caller.joinInfo).toMatchObject({ meetingId: `meeting-${call.id}` });
    expect(gate.runs).toEqual([call.id, call.id]); // the failed run, then one for both joins
  });

  it('runs the hooks one at a time in the documented order, onCallEnded after prepare settled', async () => {
    const gate = gatedPrepare();
    t = setUpCalls({ prepare: gate.prepare });
    const call = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    const answer = t.oneToOne.answer({ userId: 'bob' }, call.id);
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.hooks).toEqual([`prepare ${call.id}`, `onCallCreated ${call.id}`]); // the answer waits
    gate.release();
    await answer;
    await t.calls.join({ userId: 'alice' }, call.id);
    t.calls.hangup({ userId: 'alice' }, call.id);
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.hooks).toEqual([
      `prepare ${call.id}`,
      `onCallCreated ${call.id}`,
      `onCallStarted ${call.id}`,
      `onCallJoined ${call.id} bob`,
      `onCallJoined ${call.id} alice`,
      `onCallLeft ${call.id} alice`,
      `onCallLeft ${call.id} bob`,
      `onCallEnded ${call.id}`,
    ]);
  });

  it('without prepare, a join gets the plain joinInfo and no prepare is recorded', async () => {
    t = setUpCalls();
    const call = await t.calls.start(
      { userId: 'alice' },
      { providerType: 'webrtc', target: { kind: 'room', roomId: 'r1' } },
    );
    const [a, b] = await Promise.all([
      t.calls.join({ userId: 'alice' }, call.id),
      t.calls.join({ userId: 'bob' }, call.id),
    ]);
    expect([a.joinInfo, b.joinInfo]).toEqual([
      { room: call.id, user: 'alice' },
      { room: call.id, user: 'bob' },
    ]);
    expect(t.hooks.some((h) => h.startsWith('prepare'))).toBe(false);
  });
});
