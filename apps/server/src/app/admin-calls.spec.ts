/**
 * The admins' Calls tab API against the real app and a real mediasoup worker: an admin sees the
 * live group call with its participants (relay or direct as the browser reported it with
 * `webrtc.quality`) and one participant's `/call stats` detail; anyone else gets 403, no session 401;
 * bad ids 400, unknown ones 404.
 */
import type { AdminLiveCalls, AdminParticipantStats, CallInfo, WebrtcTransportInfo } from '@parley/protocol';
import { API } from '@parley/protocol';
import { RoomService } from '@parley/server-directory';
import { signInAll, startTestApp, useLoopbackSfu, type TestApp, type TestTab } from './testing';

const USERS = ['alice', 'bob', 'carol'] as const;
type Name = (typeof USERS)[number];

describe('admin calls API (integration)', () => {
  let t: TestApp;
  const token = {} as Record<Name, string>;
  const id = {} as Record<Name, string>;
  const tab = {} as Record<Name, TestTab>;
  let roomId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await signInAll(t, USERS, token, id);
    await useLoopbackSfu(t, token.alice);
    roomId = (
      await t.app
        .get(RoomService)
        .createRoom('chat', 'quality-room', 'Quality room', [id.alice, id.bob, id.carol])
    ).id;
    for (const name of USERS) tab[name] = await t.tab(token[name]);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists the live call to admins only, with relay or direct and the stats detail', async () => {
    const empty = await t.rest<AdminLiveCalls>(API.adminCalls, { token: token.alice });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ node: expect.any(String), calls: [] });

    const call: CallInfo = (await tab.bob.ok('call.room.join', { roomId, providerType: 'webrtc' })).call;
    await tab.carol.ok('call.room.join', { roomId });
    const send: WebrtcTransportInfo = await tab.bob.ok('webrtc.transport.create', {
      callId: call.id,
      direction: 'send',
    });
    await tab.carol.ok('webrtc.transport.create', { callId: call.id, direction: 'recv' });

    // The browser tells its candidate type; only for its own transport, only known types.
    expect(await tab.bob.ok('webrtc.quality', { transportId: send.id, candidateType: 'relay' })).toBeTruthy();
    expect(
      await tab.carol.request('webrtc.quality', { transportId: send.id, candidateType: 'host' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(
      await tab.bob.request('webrtc.quality', { transportId: send.id, candidateType: 'carrier-pigeon' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('candidateType') },
    });

    const listed = await t.rest<AdminLiveCalls>(API.adminCalls, { token: token.alice });
    expect(listed.status).toBe(200);
    expect(listed.body.calls).toEqual([
      expect.objectContaining({
        id: call.id,
        kind: 'group',
        state: 'active',
        providerType: 'webrtc',
        room: { id: roomId, title: 'Quality room' },
      }),
    ]);
    const people = Object.fromEntries(listed.body.calls[0].participants.map((p) => [p.userId, p]));
    expect(people[id.bob]).toMatchObject({
      displayName: expect.any(String),
      state: 'joined',
      connection: 'relay',
    });
    expect(people[id.bob].sendKbps).toEqual(expect.any(Number));
    expect(people[id.carol]).toMatchObject({ state: 'joined', connection: null, lossPct: null });
    expect(JSON.stringify(listed.body)).not.toMatch(/secret|password|credential/i);

    const detail = await t.rest<AdminParticipantStats>(API.adminCallParticipantStats(call.id, id.bob), {
      token: token.alice,
    });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ callId: call.id, userId: id.bob });
    expect(detail.body.stats['transports']).toEqual([
      expect.objectContaining({ id: send.id, direction: 'send', candidateType: 'relay' }),
    ]);

    // Not an admin: 403 on both; no session: 401.
    expect((await t.rest(API.adminCalls, { token: token.bob })).status).toBe(403);
    expect(
      (await t.rest(API.adminCallParticipantStats(call.id, id.bob), { token: token.carol })).status,
    ).toBe(403);
    expect((await t.rest(API.adminCalls)).status).toBe(401);

    // Bad and unknown ids.
    expect(
      (await t.rest(API.adminCallParticipantStats('not a call!', id.bob), { token: token.alice })).status,
    ).toBe(400);
    expect(
      (await t.rest(API.adminCallParticipantStats('x'.repeat(65), id.bob), { token: token.alice })).status,
    ).toBe(400);
    expect(
      (await t.rest(API.adminCallParticipantStats('no-such-call', id.bob), { token: token.alice })).status,
    ).toBe(404);
    expect(
      (await t.rest(API.adminCallParticipantStats(call.id, id.alice), { token: token.alice })).status,
    ).toBe(404);

    // Over: the list is empty again.
    await tab.bob.ok('call.hangup', { callId: call.id });
    await tab.carol.ok('call.hangup', { callId: call.id });
    expect((await t.rest<AdminLiveCalls>(API.adminCalls, { token: token.alice })).body.calls).toEqual([]);
  });
});
