import { Logger } from '@nestjs/common';
import type { CallInfo } from '@parley/protocol';
import type { SocketError } from '@parley/connector-sdk';
import { setUpCalls, type TestCalls } from '../testing';

describe('CallLifecycle', () => {
  beforeAll(() => Logger.overrideLogger(false));

  let t: TestCalls;

  afterEach(() => {
    t.close();
    jest.useRealTimers();
  });

  it('gives a one-to-one call to its participants only, a group call to the room’s members only', async () => {
    t = setUpCalls();
    const oneToOne = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    const group = await t.groups.start({ userId: 'carol' }, 'r1', 'webrtc', null);
    const code = (callId: string, userId: string) => {
      try {
        return t.lifecycle.get(callId, userId).id;
      } catch (error) {
        return (error as SocketError).code;
      }
    };
    expect(code(oneToOne.id, 'bob')).toBe(oneToOne.id);
    expect(code(oneToOne.id, 'carol')).toBe('forbidden');
    expect(code(group.id, 'alice')).toBe(group.id); // a member, not (yet) a participant
    expect(code(group.id, 'dave')).toBe('forbidden');
    expect(code('nope', 'alice')).toBe('not_found');
    expect(t.lifecycle.isJoined(group.id, 'carol')).toBe(true);
    expect(t.lifecycle.isJoined(group.id, 'alice')).toBe(false);
    expect(t.lifecycle.memberByUsername(group.id, 'bob')).toBe('bob');
    expect(t.lifecycle.memberName(group.id, 'bob')).toBe('Bob');
  });

  it('the end of a call: history, call.ended to everyone in it, hooks, listeners, users freed', async () => {
    t = setUpCalls();
    const ended: CallInfo[] = [];
    const unsubscribe = t.lifecycle.onCallEnded((call) => ended.push(call));
    t.lifecycle.onCallEnded(() => {
      throw new Error('a broken listener does not stop the others');
    });
    const call = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    const live = t.lifecycle.access(call.id, 'alice');
    const info = t.lifecycle.finish(
      live,
      live.machine.end('completed', 'ended by Alice', new Date(), 'alice'),
    );
    expect(ended).toEqual([info]);
    expect(t.pushed('call.ended')).toEqual([[['alice', 'bob'], { call: info, reason: 'ended by Alice' }]]);
    expect(t.historyOf(call.id)).toEqual(['created', 'ringing', 'ended']);
    expect(t.lifecycle.currentCallOf('alice')).toBeNull();
    await new Promise((resolve) => setImmediate(resolve)); // the hooks run one after the other
    expect(t.hooks).toContain(`onCallEnded ${call.id}`);
    unsubscribe();
  });

  it('a failing joinInfo ends the call failed and answers internal', async () => {
    t = setUpCalls({ joinInfoFails: 'SFU unreachable' });
    const call = await t.oneToOne.start({ userId: 'alice' }, 'bob', 'webrtc');
    await expect(t.oneToOne.answer({ userId: 'bob' }, call.id)).rejects.toMatchObject({
      code: 'internal',
      message: 'call failed: SFU unreachable',
    });
    expect(t.lifecycle.get(call.id, 'alice')).toMatchObject({ state: 'ended', outcome: 'failed' });
  });

  it('own media changes are pushed once; a tab coming back within the grace time keeps the call', async () => {
    jest.useFakeTimers();
    t = setUpCalls({ reconnectGraceSeconds: 20 });
    const call = await t.groups.start({ userId: 'alice' }, 'r1', 'webrtc', null);
    t.lifecycle.media({ userId: 'alice' }, call.id, true, false);
    t.lifecycle.media({ userId: 'alice' }, call.id, true, false);
    expect(t.pushed('call.updated')).toHaveLength(2); // the start's, and one change
    const left: string[] = [];
    t.lifecycle.userDisconnected('alice', (callId) => left.push(callId));
    expect(t.lifecycle.get(call.id, 'alice').participants[0].reconnecting).toBe(true);
    jest.advanceTimersByTime(19_000);
    t.lifecycle.userConnected('alice');
    expect(t.lifecycle.get(call.id, 'alice').participants[0].reconnecting).toBe(false);
    jest.advanceTimersByTime(60_000);
    expect(left).toEqual([]);
    t.lifecycle.userDisconnected('alice', (callId) => left.push(callId));
    jest.advanceTimersByTime(20_000);
    expect(left).toEqual([call.id]);
  });
});
