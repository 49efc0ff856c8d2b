/**
 * Cluster mode with real processes: a throwaway redis-server and PostgreSQL, and three built
 * Parley servers (`dist/server`, `nx run server:build`) sharing them through `REDIS_URL` and
 * `DATABASE_URL`. alice's tab is on node 1, bob's on nodes 2 and 3: presence, a room message
 * and an admin's provider toggle cross nodes within 1 s; a killed node's tabs stop counting.
 */
import type {
  CallDelta,
  CallHistoryResponse,
  CallInfo,
  ChatMessage,
  ProviderDescriptor,
  ProvidersChanged,
  RoomCallInfo,
  RoomSummary,
  UserSummary,
} from '@parley/protocol';
import { launchParley, type ParleyProcess } from '@parley/test-support/parley-process';
import { startPostgres, type TestPostgres } from '@parley/test-support/postgres';
import { startRedis, type TestRedis } from '@parley/test-support/redis';
import { connectSocket, loginOverRest, socketRequest } from '@parley/test-support/sockets';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Socket } from 'socket.io-client';

const ROOT = resolve(__dirname, '../../../../..');
const ENTRY = join(ROOT, 'dist/server/apps/server/src/main.js');
/** The lease of a node (`NODE_LEASE_MS`, 6 s) plus two heartbeats, and some slack for a busy machine. */
const NODE_GONE_MS = 15_000;

jest.setTimeout(120_000);

/** The next `event` on `socket` whose payload passes `accept`, with when it came; fails after `ms`. */
function next<T>(socket: Socket, event: string, accept: (payload: T) => boolean, ms = 5_000) {
  return new Promise<{ payload: T; at: number }>((done, fail) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      fail(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const listener = (payload: T) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      done({ payload, at: Date.now() });
    };
    socket.on(event, listener);
  });
}

async function rest<T>(base: string, path: string, token: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Polls `probe` until it returns true; returns the time taken, fails after `ms`. */
async function until(probe: () => Promise<boolean>, ms: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

describe('cluster mode: three nodes on one Redis and one PostgreSQL', () => {
  let redis: TestRedis | undefined;
  let postgres: TestPostgres | undefined;
  const nodes: ParleyProcess[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npx nx run server:build\` first.`);
    [redis, postgres] = await Promise.all([startRedis(), startPostgres('parley_cluster')]);
    const env = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      // The same on every node: a session signed on one is valid on all, secrets open everywhere.
      SESSION_SECRET: 'cluster-spec-session-secret-0123456789',
      SECRETS_KEY: 'ab'.repeat(32),
      MEDIASOUP_WORKERS: '1',
      WEBRTC_RTC_PORT: '0',
      PROVIDER_HEALTH_INTERVAL_SECONDS: '0',
    };
    const start = () => launchParley({ root: ROOT, env, tmpPrefix: 'parley-cluster-' });
    // All three at once on an empty database: the migrations and the demo seed run under the
    // start-up lock (startup-lock.ts), one node after the other.
    nodes.push(...(await Promise.all([start(), start(), start()])));
  });

  // A test that failed half-way leaves no tab behind to skew the next one's presence.
  afterEach(() => sockets.splice(0).forEach((socket) => socket.disconnect()));

  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    await Promise.allSettled(nodes.map((node) => node.stop()));
    await Promise.allSettled([redis?.stop(), postgres?.stop()]);
  });

  const [n1, n2, n3] = [0, 1, 2].map((n) => () => nodes[n].url);
  const open = async (base: string, token: string) => {
    const socket = await connectSocket(base, token);
    sockets.push(socket);
    return socket;
  };

  it('rings every tab of the callee on every node; the answer on one stops the others; one history row', async () => {
    const [alice, bob, carol] = await Promise.all([
      loginOverRest(n1(), 'alice'),
      loginOverRest(n2(), 'bob'),
      loginOverRest(n2(), 'carol'),
    ]);
    const aliceTab = await open(n1(), alice.token);
    const [bobTab2, bobTab3, carolTab] = await Promise.all([
      open(n2(), bob.token),
      open(n3(), bob.token),
      open(n2(), carol.token),
    ]);
    // bob counts as online on node 1 (presence crosses nodes) before alice calls.
    await until(
      async () =>
        (await rest<UserSummary[]>(n1(), '/api/users', alice.token)).some(
          (user) => user.id === bob.user.id && user.presence !== 'offline',
        ),
      5_000,
      'bob online on node 1',
    );

    const incoming = (tab: Socket) =>
      next<{ call: CallInfo }>(tab, 'call.incoming', (p) => p.call.callerId === alice.user.id);
    const rings = [incoming(bobTab2), incoming(bobTab3)];
    const call = await socketRequest<CallInfo>(aliceTab, 'call.start', {
      target: { kind: 'user', userId: bob.user.id },
      providerType: 'webrtc',
    });
    expect(call.state).toBe('ringing');
    const [ring2, ring3] = await Promise.all(rings);
    expect([ring2.payload.call.id, ring3.payload.call.id]).toEqual([call.id, call.id]);

    // Busy across nodes: carol, on node 2, calls bob, whose call lives on node 1.
    const busy = await socketRequest<CallInfo>(carolTab, 'call.start', {
      target: { kind: 'user', userId: bob.user.id },
      providerType: 'webrtc',
    });
    expect(busy.state).toBe('ended');
    expect(busy.endReason).toMatch(/busy/i);

    // bob answers on node 3 (relayed to node 1); his tab on node 2 stops ringing.
    const stopped = next<{ callId: string; reason: string }>(
      bobTab2,
      'call.ring.stop',
      (p) => p.callId === call.id,
    );
    const joined = await socketRequest<{ call: CallInfo }>(bobTab3, 'call.answer', { callId: call.id });
    expect(joined.call.state).toBe('active');
    expect((await stopped).payload.reason).toBe('answered_elsewhere');

    // Media requests from node 3 reach the call's router on node 1.
    const transport = await socketRequest<{ id: string }>(bobTab3, 'webrtc.transport.create', {
      callId: call.id,
      direction: 'send',
    });
    expect(typeof transport.id).toBe('string');
    const current = await socketRequest<CallInfo[]>(bobTab2, 'call.current', {});
    expect(current.map((c) => c.id)).toEqual([call.id]);

    // bob hangs up from node 2; alice on node 1 sees the end; the call is in the history once.
    const ended = next<{ call: CallInfo }>(aliceTab, 'call.ended', (p) => p.call.id === call.id);
    await socketRequest(bobTab2, 'call.hangup', { callId: call.id });
    await ended;
    for (const [base, who] of [
      [n1(), alice],
      [n3(), bob],
    ] as const) {
      const history = await rest<CallHistoryResponse>(base, '/api/calls/history', who.token);
      expect(history.entries.filter((entry) => entry.call.id === call.id)).toHaveLength(1);
    }
    // bob is free again on every node.
    const again = await socketRequest<CallInfo>(carolTab, 'call.start', {
      target: { kind: 'user', userId: bob.user.id },
      providerType: 'webrtc',
    });
    expect(again.state).toBe('ringing');
    await socketRequest(carolTab, 'call.cancel', { callId: again.id });
    [aliceTab, bobTab2, bobTab3, carolTab].forEach((tab) => tab.disconnect());
  });

  it('holds a group call with its members on all three nodes', async () => {
    const people = await Promise.all([
      loginOverRest(n1(), 'alice'),
      loginOverRest(n2(), 'bob'),
      loginOverRest(n3(), 'carol'),
    ]);
    const [aliceTab, bobTab, carolTab] = await Promise.all(
      people.map((person, n) => open([n1, n2, n3][n](), person.token)),
    );
    const rooms = await rest<RoomSummary[]>(n1(), '/api/rooms', people[0].token);
    const room = rooms.find((r) => r.title === 'Town Square');
    if (!room) throw new Error('no Town Square in the demo');

    const started = next<{ roomId: string; call: CallInfo }>(
      carolTab,
      'call.room.started',
      (p) => p.roomId === room.id,
    );
    const first = await socketRequest<{ call: CallInfo }>(aliceTab, 'call.room.join', { roomId: room.id });
    const callId = first.call.id;
    expect((await started).payload.call.id).toBe(callId);

    // bob (node 2) and carol (node 3) join the call hosted on node 1, and reach its router.
    for (const tab of [bobTab, carolTab]) {
      const response = await socketRequest<{ call: CallInfo }>(tab, 'call.room.join', { roomId: room.id });
      expect(response.call.id).toBe(callId);
      const transport = await socketRequest<{ id: string }>(tab, 'webrtc.transport.create', {
        callId,
        direction: 'recv',
      });
      expect(typeof transport.id).toBe('string');
    }
    const banner = await socketRequest<{ call: CallInfo | null }>(bobTab, 'call.room.get', {
      roomId: room.id,
    });
    expect(
      banner.call?.participants
        .filter((p) => p.joinedAt && !p.leftAt)
        .map((p) => p.userId)
        .sort(),
    ).toEqual(people.map((p) => p.user.id).sort());
    // The room's banner over REST on node 3 (the call's node answers).
    const viaRest = await rest<RoomCallInfo>(n3(), `/api/rooms/${room.id}/call`, people[2].token);
    expect(viaRest.call?.id).toBe(callId);
    // A hand raised on node 3 reaches node 1 and node 2, as a delta (they hold the call).
    const seen = [aliceTab, bobTab].map((tab) =>
      next<CallDelta>(tab, 'call.delta', (delta) =>
        (delta.participants ?? []).some((p) => p.userId === people[2].user.id && !!p.handRaisedAt),
      ),
    );
    await socketRequest(carolTab, 'call.hand', { callId, raised: true });
    await Promise.all(seen);

    // Everyone leaves (the last one out ends it); the room is free on every node.
    for (const tab of [bobTab, carolTab, aliceTab]) await socketRequest(tab, 'call.hangup', { callId });
    const after = await socketRequest<{ call: CallInfo | null }>(carolTab, 'call.room.get', {
      roomId: room.id,
    });
    expect(after.call).toBeNull();
    [aliceTab, bobTab, carolTab].forEach((tab) => tab.disconnect());
  });

  it('carries on through a Redis restart: nodes stay up, then calls and presence cross nodes again', async () => {
    const [alice, bob] = await Promise.all([loginOverRest(n1(), 'alice'), loginOverRest(n2(), 'bob')]);
    const aliceTab = await open(n1(), alice.token);
    const bobTab = await open(n2(), bob.token);
    const rooms = await rest<RoomSummary[]>(n1(), '/api/rooms', alice.token);
    const room = rooms.find((r) => r.title === 'Town Square');
    if (!room) throw new Error('no Town Square in the demo');
    const { call } = await socketRequest<{ call: CallInfo }>(aliceTab, 'call.room.join', { roomId: room.id });
    await socketRequest(bobTab, 'call.room.join', { roomId: room.id });

    const port = redis!.port;
    await redis!.stop();
    // Down: every node still answers (its own tabs are served), none crashed.
    for (const base of [n1(), n2(), n3()]) {
      expect((await fetch(`${base}/api/health/live`)).status).toBe(200);
    }
    // Readiness names Redis once the node has noticed (load balancers stop sending new users).
    await until(
      async () => {
        const response = await fetch(`${n2()}/api/health/ready`);
        const body = (await response.json()) as { error?: Record<string, { message?: string }> };
        return response.status === 503 && /Redis unreachable/.test(body.error?.['redis']?.message ?? '');
      },
      10_000,
      'readiness 503 naming redis',
    );
    // A request that needs the call index is refused at once, not left waiting for Redis.
    const during = (await bobTab
      .timeout(5_000)
      .emitWithAck('call.hand', { callId: call.id, raised: true })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(during).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    redis = await startRedis(port);

    // Back: node 1 rewrites its call into the (empty) index, so bob's request on node 2 reaches it.
    await until(
      async () =>
        (await bobTab.timeout(5_000).emitWithAck('call.hand', { callId: call.id, raised: true })).ok,
      15_000,
      'a relayed request after the restart',
    );
    await until(async () => (await fetch(`${n2()}/api/health/ready`)).status === 200, 15_000, 'ready again');
    // Presence is rewritten too: bob (node 2) is online as node 1 sees it.
    await until(
      async () =>
        (await rest<UserSummary[]>(n1(), '/api/users', alice.token)).some(
          (user) => user.id === bob.user.id && user.presence !== 'offline',
        ),
      15_000,
      'bob online on node 1 after the restart',
    );
    for (const tab of [bobTab, aliceTab]) await socketRequest(tab, 'call.hangup', { callId: call.id });
    [aliceTab, bobTab].forEach((tab) => tab.disconnect());
  });

  it('shares presence, room messages and provider changes across nodes', async () => {
    const alice = await loginOverRest(n1(), 'alice');
    const bob = await loginOverRest(n2(), 'bob');
    const aliceTab = await open(n1(), alice.token);
    const isBob = (online: boolean) => (user: UserSummary) =>
      user.id === bob.user.id && (user.presence !== 'offline') === online;

    // Presence: bob's tab on node 2 is seen by alice on node 1.
    const bobOnline = next<UserSummary>(aliceTab, 'presence.changed', isBob(true), 1_000);
    const bobTab2 = await open(n2(), bob.token);
    await bobOnline;
    const users = await rest<UserSummary[]>(n1(), '/api/users', alice.token);
    expect(users.find((user) => user.id === bob.user.id)?.presence).not.toBe('offline');

    // Chat: bob's tab on node 3 sends, alice on node 1 gets it.
    const bobTab3 = await open(n3(), bob.token);
    const shared = (await rest<RoomSummary[]>(n1(), '/api/rooms', alice.token)).map((room) => room.id);
    const room = (await rest<RoomSummary[]>(n3(), '/api/rooms', bob.token)).find((r) =>
      shared.includes(r.id),
    );
    if (!room) throw new Error('alice and bob share no room in the demo');
    const body = `across nodes ${Date.now()}`;
    const received = next<ChatMessage>(aliceTab, 'room.message', (message) => message.body === body, 1_000);
    const sent = Date.now();
    await socketRequest(bobTab3, 'room.send', { roomId: room.id, body });
    expect((await received).at - sent).toBeLessThan(1_000);

    // Providers: alice (admin) turns WebRTC off on node 1; bob's page on node 2 is told and
    // node 2's registry (REST) agrees, within 1 s; then back on.
    const hasWebrtc = (list: ProviderDescriptor[]) => list.some((p) => p.type === 'webrtc');
    const bobsList = () => rest<ProviderDescriptor[]>(n2(), '/api/providers', bob.token);
    expect(hasWebrtc(await bobsList())).toBe(true);
    for (const active of [false, true]) {
      const pushed = next<ProvidersChanged>(
        bobTab2,
        'providers.changed',
        (p) => hasWebrtc(p.providers) === active,
        1_000,
      );
      const toggled = Date.now();
      await rest(n1(), '/api/admin/providers/webrtc', alice.token, {
        method: 'PUT',
        body: JSON.stringify({ active }),
      });
      expect((await pushed).at - toggled).toBeLessThan(1_000);
      await until(
        async () => hasWebrtc(await bobsList()) === active,
        1_000 - (Date.now() - toggled),
        `node 2 sees webrtc ${active ? 'on' : 'off'}`,
      );
    }

    // Presence counts tabs on every node: bob's tab on node 2 closes, the one on node 3 keeps him
    // online; node 3 is killed, and its tabs stop counting once its lease has expired.
    const offline = next<UserSummary>(aliceTab, 'presence.changed', isBob(false), NODE_GONE_MS + 5_000);
    bobTab2.disconnect();
    // A window for a wrong "offline" (node 2 forgetting the tab on node 3) to show up.
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await rest<UserSummary[]>(n2(), '/api/users', bob.token)).some(isBob(true))).toBe(true);
    const killed = Date.now();
    nodes[2].process.kill('SIGKILL');
    const gone = await offline;
    expect(gone.at).toBeGreaterThanOrEqual(killed);
    expect(gone.at - killed).toBeLessThan(NODE_GONE_MS);
    const after = await rest<UserSummary[]>(n1(), '/api/users', alice.token);
    expect(after.find((user) => user.id === bob.user.id)?.presence).toBe('offline');
  });

  it("ends a killed node's calls once, on every screen, and frees their people", async () => {
    // Node 3 is gone (the test above); carol's call to alice lives on node 2.
    const [alice, carol] = await Promise.all([loginOverRest(n1(), 'alice'), loginOverRest(n2(), 'carol')]);
    const aliceTab = await open(n1(), alice.token);
    const carolTab = await open(n2(), carol.token);
    await until(
      async () =>
        (await rest<UserSummary[]>(n2(), '/api/users', carol.token)).some(
          (user) => user.id === alice.user.id && user.presence !== 'offline',
        ),
      5_000,
      'alice online on node 2',
    );
    const ringing = next<{ call: CallInfo }>(
      aliceTab,
      'call.incoming',
      (p) => p.call.callerId === carol.user.id,
    );
    const call = await socketRequest<CallInfo>(carolTab, 'call.start', {
      target: { kind: 'user', userId: alice.user.id },
      providerType: 'webrtc',
    });
    await ringing;
    // The history row is written behind: wait until node 1 reads it (so the kill cannot lose it).
    await until(
      async () =>
        (await rest<CallHistoryResponse>(n1(), '/api/calls/history', alice.token)).entries.some(
          (entry) => entry.call.id === call.id,
        ),
      5_000,
      'the call in the history',
    );

    const ended = next<{ call: CallInfo; reason: string }>(
      aliceTab,
      'call.ended',
      (p) => p.call.id === call.id,
      NODE_GONE_MS + 5_000,
    );
    const killed = Date.now();
    nodes[1].process.kill('SIGKILL');
    const { payload, at } = await ended;
    expect(at - killed).toBeLessThan(NODE_GONE_MS);
    expect(payload.reason).toMatch(/server stopped/);
    const entries = (await rest<CallHistoryResponse>(n1(), '/api/calls/history', alice.token)).entries.filter(
      (entry) => entry.call.id === call.id,
    );
    expect(entries.map((entry) => [entry.call.state, entry.call.outcome])).toEqual([['ended', 'failed']]);
    // alice is not left "in a call": she starts one on node 1.
    const rooms = await rest<RoomSummary[]>(n1(), '/api/rooms', alice.token);
    const room = rooms.find((r) => r.title === 'Town Square');
    if (!room) throw new Error('no Town Square in the demo');
    const joined = await socketRequest<{ call: CallInfo }>(aliceTab, 'call.room.join', { roomId: room.id });
    await socketRequest(aliceTab, 'call.hangup', { callId: joined.call.id });
  });
});
