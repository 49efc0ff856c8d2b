/**
 * The drain against the real app (SQLite, a real mediasoup worker, real sockets), started the way
 * SIGTERM starts it (`DrainService.drain()`; `drain.spec.ts` sends the signal to a real process):
 * readiness goes 503, new calls are refused while live ones go on, every tab is told and finally
 * disconnected, and the history of a call the drain ended is complete.
 */
import type { CallHistoryResponse, CallInfo, ServerDrainingEvent } from '@parley/protocol';
import { API } from '@parley/protocol';
import { RoomService } from '@parley/server-directory';
import { io } from 'socket.io-client';
import { signInAll, startTestApp, useLoopbackSfu, type TestApp, type TestTab } from '../testing';
import { DRAIN_END_REASON, DrainService } from './drain.service';

const USERS = ['alice', 'bob', 'carol', 'dave'] as const;
type Name = (typeof USERS)[number];

interface Readiness {
  status: string;
  error?: Record<string, { status: string; message?: string; liveCalls?: number }>;
}

/** A started app with the demo users signed in, a tab each, and a room of alice, bob and carol. */
async function setUp(graceSeconds: number) {
  const t = await startTestApp({ SHUTDOWN_GRACE_SECONDS: String(graceSeconds) });
  const token = {} as Record<Name, string>;
  const id = {} as Record<Name, string>;
  const tab = {} as Record<Name, TestTab>;
  await signInAll(t, USERS, token, id);
  await useLoopbackSfu(t, token.alice);
  const rooms = t.app.get(RoomService);
  const roomId = (await rooms.createRoom('chat', 'drain-room', 'Drain room', [id.alice, id.bob, id.carol]))
    .id;
  const otherRoomId = (await rooms.createRoom('chat', 'drain-other', 'Other', [id.carol, id.dave])).id;
  for (const name of USERS) tab[name] = await t.tab(token[name]);
  const readiness = async () => {
    const response = await fetch(`${t.base}/api/health/ready`);
    return { status: response.status, body: (await response.json()) as Readiness };
  };
  /** alice starts the room's group call, bob joins it. */
  const groupCall = async (): Promise<CallInfo> => {
    const call = await tab.alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'room', roomId },
    });
    await tab.bob.ok('call.room.join', { roomId });
    return call;
  };
  return { t, token, id, tab, roomId, otherRoomId, readiness, groupCall, drain: t.app.get(DrainService) };
}

describe('drain (integration)', () => {
  let t: TestApp | undefined;

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('refuses new calls, tells every tab and waits for the live call to end by itself', async () => {
    const s = await setUp(120);
    t = s.t;
    expect((await s.readiness()).status).toBe(200);
    const call = await s.groupCall();
    const told = USERS.map((name) => s.tab[name].next('server.draining'));
    const gone = USERS.map(
      (name) => new Promise<string>((done) => s.tab[name].socket.once('disconnect', done)),
    );

    const drained = s.drain.drain();
    expect(await Promise.all(told)).toEqual(USERS.map(() => ({ graceSeconds: 120, reconnect: true })));

    const ready = await s.readiness();
    expect(ready.status).toBe(503);
    expect(ready.body.error?.drain).toMatchObject({
      status: 'down',
      message: 'draining: the server is shutting down',
      liveCalls: 1,
    });

    // No new call: one-to-one, a room's call, the room link of a room without a call.
    const refused = {
      ok: false,
      error: { code: 'unavailable', message: 'This server is shutting down; try again in a moment' },
    };
    expect(
      await s.tab.dave.request('call.start', {
        providerType: 'webrtc',
        target: { kind: 'user', userId: s.id.carol },
      }),
    ).toEqual(refused);
    expect(
      await s.tab.carol.request('call.start', {
        providerType: 'webrtc',
        target: { kind: 'room', roomId: s.otherRoomId },
      }),
    ).toEqual(refused);
    expect(await s.tab.dave.request('call.room.join', { roomId: s.otherRoomId })).toEqual(refused);
    // The live call goes on: carol may still join it (it is not a new call).
    expect(await s.tab.carol.request('call.room.join', { roomId: s.roomId })).toMatchObject({ ok: true });

    // A tab that connects during the drain is told too, with the time left.
    const late = io(s.t.base, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: s.token.dave },
    });
    const lateNotice = await new Promise<ServerDrainingEvent>((done) => late.once('server.draining', done));
    late.disconnect();
    expect(lateNotice.reconnect).toBe(true);
    expect(lateNotice.graceSeconds).toBeGreaterThan(100);

    let finished = false;
    void drained.then(() => (finished = true));
    for (const name of ['alice', 'bob'] as const) await s.tab[name].ok('call.hangup', { callId: call.id });
    expect(finished).toBe(false);
    await s.tab.carol.ok('call.hangup', { callId: call.id });
    // The last one out ended the call: the drain is over long before its 120 s.
    await drained;
    expect(await Promise.all(gone)).toEqual(USERS.map(() => 'io server disconnect'));

    const history = await s.t.rest<CallHistoryResponse>(API.callHistory, { token: s.token.alice });
    expect(history.body.entries[0].call).toMatchObject({
      id: call.id,
      state: 'ended',
      outcome: 'completed',
      endReason: 'everyone left',
    });
  });

  it('ends the calls still live when the grace is over, with their history complete', async () => {
    const s = await setUp(1);
    t = s.t;
    const call = await s.groupCall();
    const ended = ['alice', 'bob'].map((name) => s.tab[name as Name].next('call.ended'));
    const started = Date.now();
    await s.drain.drain();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(10_000);
    for (const event of await Promise.all(ended)) {
      expect(event).toMatchObject({ call: { id: call.id, state: 'ended' }, reason: DRAIN_END_REASON });
    }
    const history = await s.t.rest<CallHistoryResponse>(API.callHistory, { token: s.token.bob });
    const row = history.body.entries.find((entry) => entry.call.id === call.id)?.call;
    expect(row).toMatchObject({ state: 'ended', outcome: 'completed', endReason: DRAIN_END_REASON });
    expect(row?.endedAt).toEqual(expect.any(String));
    expect(row?.participants.map((p) => [p.userId, p.state, typeof p.leftAt])).toEqual([
      [s.id.alice, 'left', 'string'],
      [s.id.bob, 'left', 'string'],
    ]);
  });

  it('with no call live it is over at once, and a new socket is then refused', async () => {
    const s = await setUp(120);
    t = s.t;
    const started = Date.now();
    await s.drain.drain();
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(s.t.tab(s.token.alice)).rejects.toThrow('This server is shutting down; connect again');
  });
});
