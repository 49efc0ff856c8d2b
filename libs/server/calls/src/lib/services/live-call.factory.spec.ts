import type { SocketError } from '@parley/connector-sdk';
import { profileOf, setUpCalls } from '../testing';

describe('LiveCallFactory', () => {
  const now = new Date('2026-01-01T10:00:00.000Z');
  const { factory, close } = setUpCalls({ maxParticipants: 12 });

  afterAll(() => close());

  it('builds a ringing one-to-one call: what connectors see, and the fresher callee summary', () => {
    const calleeNow = { ...profileOf('bob'), presence: 'away' as const };
    const live = factory.oneToOne('webrtc', profileOf('alice'), profileOf('bob'), calleeNow, now);
    expect(live.machine.info).toMatchObject({
      state: 'ringing',
      callerId: 'alice',
      createdAt: now.toISOString(),
    });
    expect(live.connectorCall).toEqual({
      id: live.machine.id,
      target: { kind: 'user', userId: 'bob' },
      ownerId: 'alice',
      title: 'Alice – Bob',
      createdAt: now.toISOString(),
    });
    expect(live.users.get('bob')?.avatarUrl).toBe('https://parley.test/api/users/bob/avatar');
    expect(live.summaries.get('bob')?.presence).toBe('away');
    expect(live.summaries.get('alice')).toEqual({
      id: 'alice',
      username: 'alice',
      displayName: 'Alice',
      avatarUrl: '/api/users/alice/avatar',
      presence: 'available',
    });
    expect(live.room).toBeUndefined();
  });

  it('builds a room’s group call: active, its members cached, the room title when untitled', () => {
    const room = {
      id: 's1',
      kind: 'space' as const,
      name: 's1',
      title: 'Design',
      memberIds: ['alice', 'bob'],
      lastMessageAt: null,
    };
    const live = factory.group('webrtc', 'bob', room, [profileOf('alice'), profileOf('bob')], null, now);
    expect(live.machine.info).toMatchObject({
      kind: 'group',
      state: 'active',
      target: { kind: 'space', roomId: 's1' },
      hostId: 'bob',
      maxParticipants: 12,
    });
    expect(live.connectorCall).toMatchObject({ ownerId: 's1', title: 'Design' });
    expect(live.room).toEqual({ id: 's1', kind: 'space', memberIds: new Set(['alice', 'bob']) });
    expect([...live.users.keys()]).toEqual(['alice', 'bob']);
  });

  it('refuses a provider that is not usable or does not place that kind of call', () => {
    const refusal = (type: string, kind: 'user' | 'room') => {
      try {
        factory.requireProvider(type, kind);
        return 'ok';
      } catch (error) {
        return `${(error as SocketError).code}: ${(error as SocketError).message}`;
      }
    };
    expect(refusal('webrtc', 'room')).toBe('ok');
    expect(refusal('dial', 'user')).toBe('ok');
    expect(refusal('dial', 'room')).toBe('bad_request: Provider dial does not place group calls');
    expect(refusal('zoom', 'user')).toBe('not_found: Provider zoom is not available');
  });

  it('reads a profile, naming the missing user or asking the caller to sign in again', async () => {
    expect((await factory.profile('carol', 'not_found')).displayName).toBe('Carol');
    await expect(factory.profile('zoe', 'not_found')).rejects.toMatchObject({ code: 'not_found' });
    await expect(factory.profile('zoe', 'unauthorized')).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'Sign in again',
    });
  });
});
