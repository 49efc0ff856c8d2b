/**
 * Calls over real sockets against the real app (temp SQLite file, real mediasoup worker for the
 * webrtc provider's joinInfo): ringing on every tab, answer/decline/cancel/timeout/busy/dnd,
 * history rows and durations, preferences, bad input. Ring timeout 1 s; waits on events only.
 */
import type {
  CallHistoryResponse,
  CallInfo,
  SessionResponse,
  UserPreferences,
  WebrtcJoinInfo,
} from '@parley/protocol';
import { API } from '@parley/protocol';
import { CallHistory } from '@parley/server-calls';
import { startTestApp, type TestApp, type TestTab } from './testing';

describe('calls (integration)', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  const id: Record<string, string> = {};
  let alice: TestTab;
  let bob1: TestTab;
  let bob2: TestTab;
  let carol: TestTab;
  let dave: TestTab;

  beforeAll(async () => {
    t = await startTestApp({ CALL_RING_TIMEOUT_SECONDS: '1', CALL_RECONNECT_GRACE_SECONDS: '1' });
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      token[name] = await t.login(name);
      id[name] = (await t.rest<SessionResponse>(API.session, { token: token[name] })).body.user.id;
    }
    alice = await t.tab(token.alice);
    bob1 = await t.tab(token.bob);
    bob2 = await t.tab(token.bob);
    carol = await t.tab(token.carol);
    dave = await t.tab(token.dave);
  });

  afterAll(async () => {
    await t?.close();
  });

  const start = (tab: TestTab, userId: string) =>
    tab.request('call.start', { providerType: 'webrtc', target: { kind: 'user', userId } });

  async function history(name: string, query = ''): Promise<CallHistoryResponse> {
    const { status, body } = await t.rest<CallHistoryResponse>(`${API.callHistory}${query}`, {
      token: token[name],
    });
    expect(status).toBe(200);
    return body;
  }

  async function eventTypes(callId: string): Promise<string[]> {
    await t.app.get(CallHistory).flush();
    return (await t.app.get(CallHistory).eventsOf(callId)).map((event) => event.type);
  }

  it('rings every tab of the callee; answering in one stops the other; hang up writes a completed call with a duration', async () => {
    const incoming1 = bob1.next('call.incoming');
    const incoming2 = bob2.next('call.incoming');
    const ringStops1 = bob1.record('call.ring.stop');
    const started = await start(alice, id.bob);
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const call = started.data;
    expect(call).toMatchObject({
      state: 'ringing',
      providerType: 'webrtc',
      kind: 'one-to-one',
      callerId: id.alice,
    });
    const [in1, in2] = await Promise.all([incoming1, incoming2]);
    expect(in1.call.id).toBe(call.id);
    expect(in2.call.id).toBe(call.id);
    expect(in1.caller).toMatchObject({ id: id.alice, displayName: 'Alice Martin' });

    const stop2 = bob2.next('call.ring.stop', (e) => e.callId === call.id);
    const active = alice.next('call.updated', (c) => c.id === call.id && c.state === 'active');
    const answered = await bob1.ok('call.answer', { callId: call.id });
    expect(answered.call.state).toBe('active');
    const bobInfo = answered.joinInfo as unknown as WebrtcJoinInfo;
    expect(Array.isArray((bobInfo.routerRtpCapabilities as { codecs?: unknown[] }).codecs)).toBe(true);
    expect(bobInfo.iceTransportPolicy).toBe('all');
    expect(await stop2).toEqual({ callId: call.id, reason: 'answered_elsewhere' });
    await active;

    // A second answer (the other tab, racing) is refused and changes nothing.
    const late = await bob2.request('call.answer', { callId: call.id });
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const joined = await alice.ok('call.join', { callId: call.id });
    expect(joined.call.participants.map((p) => p.state)).toEqual(['joined', 'joined']);

    // Mute/camera state reaches the other side. It is not saved as a preference by itself: a lost
    // device or a closing page reports "muted" too; the client saves real choices explicitly.
    const muted = bob1.next('call.updated', (c) => c.participants[0]?.muted === true);
    await alice.ok('call.media', { callId: call.id, muted: true, cameraOff: true });
    expect((await muted).participants[0]).toMatchObject({ userId: id.alice, muted: true, cameraOff: true });
    const prefs = await t.rest<UserPreferences>(API.myPreferences, { token: token.alice });
    expect(prefs.body).toMatchObject({ micEnabled: true, cameraEnabled: true });

    const ended1 = bob1.next('call.ended', (e) => e.call.id === call.id);
    const ended2 = bob2.next('call.ended', (e) => e.call.id === call.id);
    const hungUp = await alice.ok('call.hangup', { callId: call.id });
    expect(hungUp).toMatchObject({ state: 'ended', outcome: 'completed', endReason: 'Alice Martin left' });
    expect((await ended1).reason).toBe('Alice Martin left');
    await ended2;
    expect(ringStops1).toEqual([]); // the answering tab was never told to stop ringing

    const { entries } = await history('alice');
    const entry = entries.find((e) => e.call.id === call.id);
    expect(entry).toMatchObject({
      direction: 'outgoing',
      peer: { id: id.bob },
      call: { outcome: 'completed' },
    });
    expect(entry?.call.durationSeconds).toBeGreaterThan(0);
    expect(entry?.call.durationSeconds).toBeCloseTo(hungUp.durationSeconds, 2);
    const bobs = await history('bob', `?userId=${id.alice}`);
    expect(bobs.entries[0]).toMatchObject({
      direction: 'incoming',
      call: { id: call.id, outcome: 'completed' },
    });
    expect(await eventTypes(call.id)).toEqual([
      'created',
      'ringing',
      'answered',
      'joined',
      'joined',
      'left',
      'left',
      'ended',
    ]);
  });

  it('decline: ends declined, the other tab stops ringing, the caller is told', async () => {
    const incoming = bob2.next('call.incoming');
    const call = (await alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.bob },
    })) as CallInfo;
    await incoming;
    const stop2 = bob2.next('call.ring.stop', (e) => e.callId === call.id);
    const ended = alice.next('call.ended', (e) => e.call.id === call.id);
    const declined = await bob1.ok('call.decline', { callId: call.id });
    expect(declined).toMatchObject({ outcome: 'declined', endReason: 'declined', durationSeconds: 0 });
    expect(await stop2).toEqual({ callId: call.id, reason: 'declined_elsewhere' });
    expect((await ended).reason).toBe('declined');
    expect(await eventTypes(call.id)).toEqual(['created', 'ringing', 'declined']);
  });

  it('no answer within the ring timeout: missed, with a missed-call notice to the callee', async () => {
    const missed = bob1.next('call.missed');
    const stop = bob2.next('call.ring.stop');
    const ended = alice.next('call.ended');
    const call = await alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.bob },
    });
    const notice = await missed;
    expect(notice.call).toMatchObject({ id: call.id, outcome: 'missed' });
    expect(notice.caller.id).toBe(id.alice);
    expect(await stop).toEqual({ callId: call.id, reason: 'missed' });
    expect((await ended).reason).toBe('no answer');
    const elapsed = Date.parse((await ended).call.endedAt ?? '') - Date.parse(call.createdAt);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(await eventTypes(call.id)).toEqual(['created', 'ringing', 'missed']);
  });

  it('cancel before answer: cancelled, every callee tab stops ringing', async () => {
    const incoming = bob1.next('call.incoming');
    const call = await alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.bob },
    });
    await incoming;
    const stops = Promise.all([
      bob1.next('call.ring.stop', (e) => e.callId === call.id),
      bob2.next('call.ring.stop', (e) => e.callId === call.id),
    ]);
    const cancelled = await alice.ok('call.cancel', { callId: call.id });
    expect(cancelled).toMatchObject({ outcome: 'cancelled', endReason: 'cancelled' });
    expect((await stops).map((s) => s.reason)).toEqual(['cancelled', 'cancelled']);
    // Only the caller may cancel; the call is over anyway.
    expect(await bob1.request('call.cancel', { callId: call.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await alice.request('call.answer', { callId: call.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('busy: calling someone already in a call ends at once as busy', async () => {
    const incoming = bob1.next('call.incoming');
    const call = await alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.bob },
    });
    await incoming;
    await bob1.ok('call.answer', { callId: call.id });
    const busy = await carol.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.bob },
    });
    expect(busy).toMatchObject({ state: 'ended', outcome: 'busy', endReason: 'busy' });
    // The busy caller is not stuck: carol can call someone else right away.
    const other = await carol.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.dave },
    });
    expect(other.state).toBe('ringing');
    await carol.ok('call.cancel', { callId: other.id });
    // And a caller in a call cannot place a second one.
    expect(await start(alice, id.carol)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await bob1.ok('call.hangup', { callId: call.id });
    const { entries } = await history('carol', `?userId=${id.bob}`);
    expect(entries[0].call).toMatchObject({ id: busy.id, outcome: 'busy' });
  });

  it('dnd or offline callee: immediate missed, with a notice instead of a ring', async () => {
    await dave.ok('presence.set', { presence: 'dnd' });
    const notice = dave.next('call.missed');
    const incoming = dave.record('call.incoming');
    const call = await alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.dave },
    });
    expect(call).toMatchObject({ state: 'ended', outcome: 'missed', endReason: 'not available' });
    expect((await notice).call.id).toBe(call.id);
    await dave.ok('presence.set', { presence: 'available' });
    expect(incoming).toEqual([]);

    // erin has no tab at all: offline.
    const offline = await alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.erin },
    });
    expect(offline).toMatchObject({ state: 'ended', outcome: 'missed' });
    const { entries } = await history('erin');
    expect(entries[0]).toMatchObject({ direction: 'incoming', call: { id: offline.id, outcome: 'missed' } });
  });

  it('bad input: clear errors, no stuck call, the socket keeps answering', async () => {
    expect(await start(alice, 'no-such-user')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await start(alice, id.alice)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(
      await alice.request('call.start', { providerType: 'nope', target: { kind: 'user', userId: id.bob } }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(
      // Room targets are group calls (group-calls.spec.ts); an unknown room is not found.
      await alice.request('call.start', { providerType: 'webrtc', target: { kind: 'room', roomId: 'r1' } }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    for (const payload of [
      {},
      null,
      42,
      'call',
      [],
      { providerType: 'webrtc' },
      { providerType: 'webrtc', target: { kind: 'user' } },
      { providerType: 'webrtc', target: { kind: 'galaxy', userId: id.bob } },
      { providerType: 'webrtc', target: { kind: 'user', userId: id.bob, extra: 1 } },
      { providerType: 'WebRTC!', target: { kind: 'user', userId: id.bob } },
    ]) {
      const reply = await alice.request('call.start', payload);
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    for (const name of ['call.answer', 'call.decline', 'call.cancel', 'call.hangup', 'call.join'] as const) {
      expect(await alice.request(name, { callId: 7 })).toMatchObject({
        ok: false,
        error: { code: 'bad_request' },
      });
      expect(await alice.request(name, { callId: 'missing' })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    }
    expect(await alice.request('call.media', { callId: 'x', muted: 'yes', cameraOff: false })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    // Someone else's call: forbidden for a non-participant.
    const incoming = bob1.next('call.incoming');
    const call = await alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.bob },
    });
    await incoming;
    for (const name of ['call.answer', 'call.decline', 'call.hangup', 'call.join'] as const) {
      expect(await carol.request(name, { callId: call.id })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(await alice.request('call.join', { callId: call.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await alice.ok('call.current', {})).toEqual([expect.objectContaining({ id: call.id })]);
    await alice.ok('call.hangup', { callId: call.id }); // ringing: the caller's hang-up cancels
    expect(await alice.ok('call.current', {})).toEqual([]);
    expect((await alice.ok('session.whoami', {})).id).toBe(id.alice);
  });

  it('a participant whose last tab disconnects leaves after the grace time', async () => {
    const carol2 = await t.tab(token.carol);
    const incoming = dave.next('call.incoming');
    const call = await carol2.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.dave },
    });
    await incoming;
    await dave.ok('call.answer', { callId: call.id });
    await carol2.ok('call.join', { callId: call.id });
    const ended = dave.next('call.ended', (e) => e.call.id === call.id);
    carol.close();
    carol2.close();
    const { call: done, reason } = await ended;
    expect(reason).toBe('Carol Diaz left');
    expect(done.outcome).toBe('completed');
  });

  it('preferences: last provider per context and media, validated, following the user', async () => {
    const initial = await t.rest<UserPreferences>(API.myPreferences, { token: token.bob });
    expect(initial.body).toEqual({ lastProvider: {}, micEnabled: true, cameraEnabled: true });
    const put = await t.rest<UserPreferences>(API.myPreferences, {
      method: 'PUT',
      token: token.bob,
      body: { lastProvider: { user: 'webrtc', room: 'jitsi' }, cameraEnabled: false },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      lastProvider: { user: 'webrtc', room: 'jitsi' },
      micEnabled: true,
      cameraEnabled: false,
    });
    const patch = await t.rest<UserPreferences>(API.myPreferences, {
      method: 'PUT',
      token: token.bob,
      body: { lastProvider: { room: null, popover: 'webrtc' } },
    });
    expect(patch.body.lastProvider).toEqual({ user: 'webrtc', popover: 'webrtc' });
    // Another session (another browser) sees the same.
    const other = await t.login('bob');
    expect((await t.rest<UserPreferences>(API.myPreferences, { token: other })).body).toEqual(patch.body);
    for (const body of [
      { micEnabled: 'no' },
      { lastProvider: { galaxy: 'webrtc' } },
      { lastProvider: { user: 'Bad Type' } },
      { theme: 'dark' },
    ]) {
      expect((await t.rest(API.myPreferences, { method: 'PUT', token: token.bob, body })).status).toBe(400);
    }
    expect((await t.rest(API.myPreferences)).status).toBe(401);
    expect((await t.rest(`${API.callHistory}?limit=0`, { token: token.bob })).status).toBe(400);
    expect((await t.rest(`${API.callHistory}?userId=nobody`, { token: token.bob })).status).toBe(404);
  });
});
