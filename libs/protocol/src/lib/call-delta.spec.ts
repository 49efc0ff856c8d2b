import { applyCallDelta, diffCall } from './call-delta';
import type { CallInfo, CallParticipant } from './calls';

const participant = (userId: string, patch: Partial<CallParticipant> = {}): CallParticipant => ({
  userId,
  state: 'joined',
  muted: false,
  cameraOff: false,
  joinedAt: '2026-12-04T06:00:00.000Z',
  leftAt: null,
  reconnecting: false,
  handRaisedAt: null,
  ...patch,
});

const call = (patch: Partial<CallInfo> = {}): CallInfo => ({
  id: 'c1',
  providerType: 'webrtc',
  target: { kind: 'room', roomId: 'r1' },
  kind: 'group',
  callerId: 'a',
  ownerId: 'r1',
  state: 'active',
  participants: [participant('a'), participant('b')],
  createdAt: '2026-12-04T06:00:00.000Z',
  answeredAt: '2026-12-04T06:00:00.000Z',
  endedAt: null,
  outcome: null,
  endReason: null,
  durationSeconds: 0,
  hostId: 'a',
  title: null,
  threadId: null,
  version: 3,
  ...patch,
});

describe('call deltas', () => {
  it('carries only the participants and fields that changed, and applying it gives the new snapshot', () => {
    const before = call();
    const after = call({
      version: 4,
      hostId: 'b',
      participants: [participant('a', { muted: true }), participant('b'), participant('c')],
    });
    const delta = diffCall(before, after);
    expect(delta).toEqual({
      callId: 'c1',
      roomId: 'r1',
      baseVersion: 3,
      version: 4,
      call: { hostId: 'b' },
      participants: [participant('a', { muted: true }), participant('c')],
    });
    expect(applyCallDelta(before, delta!)).toEqual(after);
  });

  it('is null when nothing but the version changed', () => {
    expect(diffCall(call(), call({ version: 4 }))).toBeNull();
  });

  it('sends a field that became absent as null (JSON has no undefined)', () => {
    const delta = diffCall(
      call({ recording: { startedAt: 'x', startedBy: 'a', endsAt: 'y' } }),
      call({ version: 4 }),
    );
    expect(delta?.call).toEqual({ recording: null });
  });

  it('does not apply to another version or another call (the client fetches the call again)', () => {
    const delta = diffCall(call(), call({ version: 4, title: 'Standup' }))!;
    expect(applyCallDelta(call({ version: 2 }), delta)).toBeNull();
    expect(applyCallDelta(call({ id: 'c2' }), delta)).toBeNull();
    expect(applyCallDelta(call(), delta)?.title).toBe('Standup');
  });

  it('grows with the change, not with the call: one join into a call of 200 is one participant', () => {
    const many = Array.from({ length: 200 }, (_, i) => participant(`u${i}`));
    const before = call({ participants: many });
    const after = call({ version: 4, participants: [...many, participant('new')] });
    const delta = diffCall(before, after)!;
    expect(delta.participants).toHaveLength(1);
    expect(JSON.stringify(delta).length).toBeLessThan(JSON.stringify(after).length / 50);
  });
});
