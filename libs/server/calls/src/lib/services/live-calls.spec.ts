import { CallMachine } from '../call-machine';
import { LiveCalls, type LiveCall, type SharedCallIndex } from './live-calls';

const now = new Date('2026-01-01T10:00:00.000Z');

function liveCall(machine: CallMachine, ownerId: string, room?: LiveCall['room']): LiveCall {
  const { id, target, createdAt } = machine.info;
  return {
    machine,
    connectorCall: { id, target, ownerId, title: 'A call', createdAt },
    users: new Map(),
    summaries: new Map(),
    ...(room ? { room } : {}),
  };
}

function oneToOne(id: string, callerId: string, calleeId: string): LiveCall {
  const target = { kind: 'user' as const, userId: calleeId };
  return liveCall(new CallMachine({ id, providerType: 'webrtc', target, callerId, now }), callerId);
}

function group(id: string, roomId: string, starterId: string): LiveCall {
  const machine = new CallMachine({
    id,
    providerType: 'webrtc',
    target: { kind: 'room', roomId },
    callerId: starterId,
    title: null,
    maxParticipants: 4,
    now,
  });
  return liveCall(machine, roomId, { id: roomId, kind: 'chat', memberIds: new Set([starterId, 'bob']) });
}

describe('LiveCalls', () => {
  let calls: LiveCalls;

  beforeEach(() => {
    jest.useFakeTimers();
    calls = new LiveCalls(60_000);
  });

  afterEach(() => {
    calls.close();
    jest.useRealTimers();
  });

  it('binds the caller and callee of a new call (busy), and frees them when it ends', () => {
    const live = oneToOne('c1', 'alice', 'bob');
    calls.add(live, ['alice', 'bob']);
    expect(calls.hasUser('alice')).toBe(true);
    expect(calls.ofUser('bob')).toBe(live);
    live.machine.end('cancelled', 'Cancelled', now, 'alice');
    calls.ended(live);
    expect(calls.hasUser('alice')).toBe(false);
    expect(calls.hasUser('bob')).toBe(false);
  });

  it('keeps an ended call answerable for the retention time, then forgets it', () => {
    const live = oneToOne('c1', 'alice', 'bob');
    calls.add(live, ['alice', 'bob']);
    live.machine.end('cancelled', 'Cancelled', now, 'alice');
    calls.ended(live);
    jest.advanceTimersByTime(59_000);
    expect(calls.get('c1')).toBe(live);
    jest.advanceTimersByTime(1_000);
    expect(calls.get('c1')).toBeUndefined();
  });

  it('remembers a call that ended as it was placed (busy) without freeing the busy callee', () => {
    const first = oneToOne('c1', 'alice', 'bob');
    calls.add(first, ['alice', 'bob']);
    const busy = oneToOne('c2', 'carol', 'bob');
    busy.machine.end('busy', 'Busy', now, null);
    calls.ended(busy);
    expect(calls.get('c2')).toBe(busy);
    expect(calls.ofUser('bob')).toBe(first);
  });

  it("finds a room's live group call, not an ended one, and tells a user's other live call", () => {
    const live = group('g1', 'r1', 'alice');
    calls.add(live, ['alice']);
    expect(calls.ofRoom('r1')).toBe(live);
    calls.bindUser('bob', live);
    expect(calls.otherLiveCall('bob', 'g1')).toBeUndefined();
    expect(calls.otherLiveCall('bob', 'g2')).toBe(live);
    calls.releaseUser('bob', live);
    expect(calls.hasUser('bob')).toBe(false);
    live.machine.end('completed', 'Ended', now, 'alice');
    calls.ended(live);
    expect(calls.ofRoom('r1')).toBeUndefined();
    expect(calls.hasUser('alice')).toBe(false);
  });

  it('lists the calls not ended yet (what the metrics count), without the remembered ended ones', () => {
    const ringing = oneToOne('c1', 'alice', 'bob');
    const room = group('g1', 'r1', 'carol');
    calls.add(ringing, ['alice', 'bob']);
    calls.add(room, ['carol']);
    expect([...calls.live()]).toEqual([ringing, room]);
    ringing.machine.end('cancelled', 'Cancelled', now, 'alice');
    calls.ended(ringing);
    expect(calls.get('c1')).toBe(ringing);
    expect([...calls.live()]).toEqual([room]);
  });

  it('writes joins, leaves and ends through to a shared index, and asks it before binding (cluster mode)', async () => {
    const log: string[] = [];
    const index: SharedCallIndex = {
      claim: async (callId, userIds, roomId) => {
        log.push(`claim ${callId} ${userIds.join(',')} ${roomId ?? '-'}`);
        return userIds.includes('busy') ? { kind: 'user', userId: 'busy' } : null;
      },
      alive: async (callId) => callId === 'elsewhere',
      bound: (callId, userId) => log.push(`bound ${callId} ${userId}`),
      released: (callId, userId) => log.push(`released ${callId} ${userId}`),
      ended: (callId, userIds, roomId, retentionMs) =>
        log.push(`ended ${callId} ${userIds.join(',')} ${roomId ?? '-'} ${retentionMs}`),
    };
    // One node: nothing more to check.
    expect(await calls.claim('g1', ['alice'], 'r1')).toBeNull();
    calls.useIndex(index);
    expect(await calls.claim('g1', ['alice'], 'r1')).toBeNull();
    expect(await calls.claim('g1', ['busy'])).toEqual({ kind: 'user', userId: 'busy' });
    const live = group('g1', 'r1', 'alice');
    calls.add(live, ['alice']);
    calls.bindUser('bob', live);
    calls.releaseUser('bob', live);
    // Not bound to this call: nothing to release.
    calls.releaseUser('carol', live);
    live.machine.end('completed', 'Ended', now, 'alice');
    calls.ended(live);
    expect(await calls.hostedElsewhere('elsewhere')).toBe(true);
    expect(await calls.hostedElsewhere('g1')).toBe(false);
    expect(log).toEqual([
      'claim g1 alice r1',
      'claim g1 busy -',
      'bound g1 bob',
      'released g1 bob',
      'ended g1 alice r1 60000',
    ]);
  });
});
