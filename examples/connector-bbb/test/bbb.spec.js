// @ts-check
'use strict';
/* global describe, it, expect, beforeAll, afterAll, jest -- jest's globals */
const { CallPreparations } = require('@parley/connector-sdk');
const { bbbConnector } = require('../src/connector');
const { startFakeBbb } = require('./fake-bbb');

const SECRET = 'bbb-shared-secret-0123456789';
const logger = { log: () => undefined, warn: jest.fn(), error: () => undefined };
const user = (id, displayName = id) => ({
  id,
  username: id,
  displayName,
  email: null,
  avatarUrl: `/api/users/${id}/avatar`,
  isAdmin: false,
});
const call = (id, target = /** @type {const} */ ({ kind: 'user', userId: 'bob' })) => ({
  id,
  target,
  ownerId: 'alice',
  title: 'Alice and Bob',
  createdAt: new Date().toISOString(),
});

describe('the BigBlueButton example connector, against a fake BigBlueButton', () => {
  /** @type {Awaited<ReturnType<typeof startFakeBbb>>} */
  let fake;
  beforeAll(async () => {
    fake = await startFakeBbb(SECRET);
  });
  afterAll(() => fake.close());

  const context = (secret = SECRET) => ({
    settings: { serverUrl: fake.url, sharedSecret: secret, meetingPrefix: 'parley-' },
    publicUrl: 'https://parley.example.test',
    iceConfig: () => ({ iceServers: [], iceTransportPolicy: /** @type {const} */ ('all'), expiresAt: null }),
    logger,
  });

  it('creates the meeting once, then hands each participant a signed join URL the server accepts', async () => {
    const preparations = new CallPreparations();
    const c = call('c1');
    const joinOf = async (u) => {
      const prepared = await preparations.get(c.id, () => bbbConnector.prepare?.(c, context()) ?? {});
      return bbbConnector.joinInfo(c, u, { ...context(), prepared });
    };
    const [alice, bob] = await Promise.all([joinOf(user('alice', 'Alice')), joinOf(user('bob', 'Bob'))]);
    expect(fake.creates).toEqual(['parley-c1']);
    for (const info of [alice, bob]) {
      const response = await fetch(String(info['url']));
      expect(await response.text()).toContain('meeting parley-c1');
      expect(String(info['url'])).not.toContain(SECRET);
    }
    expect(fake.joins).toEqual(['parley-c1 alice MODERATOR', 'parley-c1 bob VIEWER']);
  });

  it('declares a BigBlueButton user ID and joins each user of a one-to-one call under theirs', async () => {
    expect(bbbConnector.imAccount).toMatchObject({ label: 'BigBlueButton user ID' });
    const pattern = new RegExp(String(bbbConnector.imAccount?.pattern));
    expect(pattern.test('jane.doe')).toBe(true);
    expect(pattern.test('jane doe')).toBe(false);
    const c = { ...call('c-im'), imAccounts: { bob: 'bob.nguyen' } };
    const prepared = await bbbConnector.prepare?.(c, context());
    const joins = fake.joins.length;
    for (const u of [user('alice', 'Alice'), user('bob', 'Bob')]) {
      const info = await bbbConnector.joinInfo(c, u, { ...context(), prepared });
      expect((await fetch(String(info['url']))).status).toBe(200);
    }
    // Bob set his account; Alice has none and joins under her Parley id.
    expect(fake.joins.slice(joins)).toEqual(['parley-c-im alice MODERATOR', 'parley-c-im bob.nguyen VIEWER']);
  });

  it('a refused create fails with BigBlueButton’s message; a wrong secret fails the checksum', async () => {
    fake.failNextCreate('maxMeetingsReached', 'Too many meetings on this server');
    await expect(bbbConnector.prepare?.(call('c2'), context())).rejects.toThrow(
      'BigBlueButton refused create: Too many meetings on this server (maxMeetingsReached)',
    );
    await expect(bbbConnector.prepare?.(call('c2'), context('wrong-secret-000'))).rejects.toThrow(
      'BigBlueButton refused create: You did not pass the checksum security check (checksumError)',
    );
    expect(await bbbConnector.prepare?.(call('c2'), context())).toEqual({ meetingID: 'parley-c2' });
  });

  it('checks with getMeetings, and ends the meeting when the call ends', async () => {
    expect(await bbbConnector.check?.(context())).toEqual({
      ok: true,
      detail: 'getMeetings answered SUCCESS',
    });
    expect(await bbbConnector.check?.(context('wrong-secret-000'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('checksumError'),
    });
    await bbbConnector.prepare?.(call('c3'), context());
    expect(fake.meetings.has('parley-c3')).toBe(true);
    await bbbConnector.hooks?.onCallEnded?.(call('c3'), context());
    expect(fake.meetings.has('parley-c3')).toBe(false);
  });
});
