import { SocketError } from '@parley/connector-sdk';
import type { ConnectorUser } from '@parley/connector-sdk';
import type { UserSummary } from '@parley/protocol';
import { CallMachine } from '../call-machine';
import { CallEvents, type CallPush } from './call-events.service';
import { CallMediaControls } from './call-media-controls.service';
import { CallModeration } from './call-moderation.service';
import type { CallLifecycle } from './call-lifecycle.service';
import type { GroupCalls } from './group-calls.service';
import type { LiveCall } from './live-calls';

const now = new Date('2026-01-01T10:00:00.000Z');

/** A group call hosted by alice with bob and carol joined, and the moderation service over it. */
function setUp() {
  const machine = new CallMachine({
    id: 'g1',
    providerType: 'webrtc',
    target: { kind: 'room', roomId: 'r1' },
    callerId: 'alice',
    title: null,
    maxParticipants: 8,
    now,
  });
  machine.join('bob', now);
  machine.join('carol', now);
  const user = (id: string): ConnectorUser =>
    ({ id, username: id, displayName: id, isAdmin: false }) as ConnectorUser;
  const live: LiveCall = {
    machine,
    connectorCall: {
      id: 'g1',
      target: machine.info.target,
      ownerId: 'r1',
      title: 'A call',
      createdAt: now.toISOString(),
    },
    users: new Map(['alice', 'bob', 'carol'].map((id) => [id, user(id)])),
    summaries: new Map([['alice', { id: 'alice', displayName: 'Alice Martin' } as UserSummary]]),
    room: { id: 'r1', kind: 'chat', memberIds: new Set(['alice', 'bob', 'carol']) },
  };
  const updates: string[] = [];
  const left: { userId: string; detail: string | null }[] = [];
  // The lifecycle's and group calls' part (access checks, pushes, leaving) is their specs': recorded here.
  const calls = {
    access: () => live,
    pushUpdate: () => updates.push('call.updated'),
    finish: () => machine.snapshot(),
  } as unknown as CallLifecycle;
  const groups = {
    leave: (_: LiveCall, userId: string, detail: string | null) => {
      left.push({ userId, detail });
      return machine.snapshot();
    },
  } as unknown as GroupCalls;
  const events = new CallEvents();
  const pushes: CallPush[] = [];
  events.pushes$.subscribe((push) => pushes.push(push));
  const muted: string[] = [];
  const controls = new CallMediaControls();
  controls.register('webrtc', {
    muteUser: (_callId, userId) => void muted.push(userId),
    stopScreenShare: () => undefined,
    stats: async () => ({}),
  });
  return {
    moderation: new CallModeration(calls, groups, events, controls),
    machine,
    updates,
    left,
    pushes,
    muted,
  };
}

function refused(work: () => unknown, code: string): void {
  let thrown: unknown = null;
  try {
    work();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SocketError);
  expect((thrown as SocketError).code).toBe(code);
}

describe('CallModeration', () => {
  it('the host mutes everyone else: on the media, in the call, each told', async () => {
    const { moderation, machine, muted, pushes, updates } = setUp();
    await moderation.hostMute({ userId: 'alice' }, 'g1');
    expect(muted.sort()).toEqual(['bob', 'carol']);
    expect(
      machine.info.participants
        .filter((p) => p.muted)
        .map((p) => p.userId)
        .sort(),
    ).toEqual(['bob', 'carol']);
    expect(pushes.map((p) => [p.event, p.userIds[0]])).toEqual([
      ['call.moderated', 'bob'],
      ['call.moderated', 'carol'],
    ]);
    expect(updates).toEqual(['call.updated']);
  });

  it('only the host moderates', async () => {
    const { moderation, muted } = setUp();
    await expect(moderation.hostMute({ userId: 'bob' }, 'g1', 'carol')).rejects.toBeInstanceOf(SocketError);
    refused(() => moderation.hostRemove({ userId: 'bob' }, 'g1', 'carol'), 'forbidden');
    expect(muted).toEqual([]);
  });

  it('removing someone makes them leave with who removed them; the host cannot remove themself', () => {
    const { moderation, left, pushes } = setUp();
    moderation.hostRemove({ userId: 'alice' }, 'g1', 'bob');
    expect(left).toEqual([{ userId: 'bob', detail: 'removed by Alice Martin' }]);
    expect(pushes[0]).toMatchObject({
      event: 'call.moderated',
      userIds: ['bob'],
      data: { action: 'removed' },
    });
    refused(() => moderation.hostRemove({ userId: 'alice' }, 'g1', 'alice'), 'bad_request');
  });

  it('a raised hand is pushed once; the host lowers it', () => {
    const { moderation, machine, updates } = setUp();
    moderation.hand({ userId: 'bob' }, 'g1', true);
    moderation.hand({ userId: 'bob' }, 'g1', true);
    expect(updates).toHaveLength(1);
    moderation.hostLowerHand({ userId: 'alice' }, 'g1', 'bob');
    expect(machine.participant('bob')?.handRaisedAt ?? null).toBeNull();
    expect(updates).toHaveLength(2);
  });
});
