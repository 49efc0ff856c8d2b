/**
 * Rooms by slug and users' IM accounts on the real server (port 0, temp SQLite file), with the
 * in-repo BigBlueButton example connector loaded by package name (it declares an IM field)
 * against the fake BigBlueButton of its tests: REST by slug and id, the IM accounts API and its
 * validation, and a one-to-one call that hands the callee's account to the connector.
 */
import type { ChatMessage, RoomCallInfo, RoomSummary, UserImAccount, UserSummary } from '@parley/protocol';
import { API } from '@parley/protocol';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestApp, type TestApp } from './testing';

const ROOT = resolve(__dirname, '../../../..');
const SECRET = 'bbb-shared-secret-0123456789';

interface FakeBbb {
  url: string;
  close(): Promise<void>;
}

describe('rooms by slug, IM accounts (integration)', () => {
  let work: string;
  let bbb: FakeBbb;
  let t: TestApp;
  let alice: string;
  let bob: string;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'parley-im-'));
    mkdirSync(join(work, 'node_modules'));
    symlinkSync(join(ROOT, 'examples/connector-bbb'), join(work, 'node_modules/parley-connector-bbb'));
    const fake = (await import(join(ROOT, 'examples/connector-bbb/test/fake-bbb.js'))) as {
      startFakeBbb(secret: string): Promise<FakeBbb>;
    };
    bbb = await fake.startFakeBbb(SECRET);
    t = await startTestApp({ PARLEY_CONNECTORS: 'parley-connector-bbb', PARLEY_CONNECTORS_PATH: work });
    alice = await t.login('alice');
    bob = await t.login('bob');
    const configured = await t.rest(API.adminProvider('bbb'), {
      method: 'PUT',
      token: alice,
      body: { active: true, settings: { serverUrl: bbb.url, sharedSecret: SECRET } },
    });
    expect(configured.status).toBe(200);
    for (const user of (await t.rest<UserSummary[]>(API.users, { token: alice })).body) {
      id[user.username] = user.id;
    }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await bbb?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('serves a room, its messages and its call info by slug as by id; an unknown slug is a clear 404', async () => {
    const bySlug = await t.rest<RoomSummary>(API.room('town-square'), { token: bob });
    expect(bySlug.status).toBe(200);
    expect(bySlug.body).toMatchObject({ name: 'town-square', title: 'Town Square' });
    const byId = await t.rest<RoomSummary>(API.room(bySlug.body.id), { token: bob });
    expect(byId.body).toEqual(bySlug.body);

    const sent = await t.rest<ChatMessage>(API.roomMessages('town-square'), {
      method: 'POST',
      token: bob,
      body: { body: 'posted by slug' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.roomId).toBe(bySlug.body.id);
    const page = await t.rest<ChatMessage[]>(`${API.roomMessages('town-square')}?limit=1`, { token: bob });
    expect(page.body.map((m) => m.id)).toEqual([sent.body.id]);
    const call = await t.rest<RoomCallInfo>(API.roomCall('town-square'), { token: bob });
    expect(call.status).toBe(200);
    expect(call.body).toMatchObject({ roomId: bySlug.body.id, call: null });

    // Membership still applies by slug: Alice is not in Design.
    expect((await t.rest(API.room('design'), { token: alice })).status).toBe(403);
    for (const path of [
      API.room('no-such-room'),
      API.roomMessages('no-such-room'),
      API.roomCall('no-such-room'),
    ]) {
      const missing = await t.rest<{ message: string }>(path, { token: bob });
      expect(missing.status).toBe(404);
      expect(missing.body.message).toBe('Room "no-such-room" not found: no room has this id or slug');
    }
  });

  it('lets a user set their own IM accounts, validated against the provider field, readable by others', async () => {
    expect((await t.rest<UserImAccount[]>(API.userImAccounts(id.bob), { token: bob })).body).toEqual([]);
    const bad = await t.rest<{ message: string }>(API.myImAccount('bbb'), {
      method: 'PUT',
      token: bob,
      body: { value: 'Bob Nguyen' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('"Bob Nguyen" is not a valid BigBlueButton user ID (for example jane.doe)');
    const unknown = await t.rest<{ message: string }>(API.myImAccount('zoom'), {
      method: 'PUT',
      token: bob,
      body: { value: 'bob' },
    });
    expect(unknown).toEqual({
      status: 400,
      body: expect.objectContaining({ message: 'There is no active call provider "zoom"' }),
    });
    const none = await t.rest<{ message: string }>(API.myImAccount('webrtc'), {
      method: 'PUT',
      token: bob,
      body: { value: 'bob' },
    });
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/does not use IM accounts$/);
    const empty = await t.rest(API.myImAccount('bbb'), { method: 'PUT', token: bob, body: { value: '' } });
    expect(empty.status).toBe(400);

    const saved = await t.rest<UserImAccount>(API.myImAccount('bbb'), {
      method: 'PUT',
      token: bob,
      body: { value: ' bob.nguyen ' },
    });
    expect(saved).toEqual({ status: 200, body: { providerType: 'bbb', value: 'bob.nguyen' } });
    // Anyone signed in reads them, as they read the profile; nobody else writes them.
    const seen = await t.rest<UserImAccount[]>(API.userImAccounts(id.bob), { token: alice });
    expect(seen.body).toEqual([{ providerType: 'bbb', value: 'bob.nguyen' }]);
    expect((await t.rest(API.userImAccounts(id.bob))).status).toBe(401);
    expect((await t.rest(API.userImAccounts('nobody'), { token: alice })).status).toBe(404);

    expect(
      (await t.rest(API.myImAccount('bbb'), { method: 'PUT', token: alice, body: { value: 'alice' } }))
        .status,
    ).toBe(200);
    expect((await t.rest(API.myImAccount('bbb'), { method: 'DELETE', token: alice })).status).toBe(204);
    expect((await t.rest(API.myImAccount('bbb'), { method: 'DELETE', token: alice })).status).toBe(404);
  });

  it("refuses a call to someone without the provider's account, and hands the callee's account to the connector", async () => {
    const [aliceTab, bobTab, carolTab] = await Promise.all([
      t.tab(alice),
      t.tab(bob),
      t.tab(await t.login('carol')),
    ]);
    // Carol has no BigBlueButton user ID: the provider cannot call her.
    const refused = await aliceTab.request('call.start', {
      providerType: 'bbb',
      target: { kind: 'user', userId: id.carol },
    });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Carol Diaz has no BigBlueButton user ID' },
    });
    carolTab.close();

    const ring = bobTab.next('call.incoming');
    const call = await aliceTab.ok('call.start', {
      providerType: 'bbb',
      target: { kind: 'user', userId: id.bob },
    });
    expect(call.state).toBe('ringing');
    await ring;
    const answered = await bobTab.ok('call.answer', { callId: call.id });
    const joined = await aliceTab.ok('call.join', { callId: call.id });
    // The connector joins Bob under his account (BigBlueButton's userID), Alice under her id.
    expect(new URL(String(answered.joinInfo['url'])).searchParams.get('userID')).toBe('bob.nguyen');
    expect(new URL(String(joined.joinInfo['url'])).searchParams.get('userID')).toBe(id.alice);
    await aliceTab.ok('call.hangup', { callId: call.id });
    aliceTab.close();
    bobTab.close();
  });
});
