/**
 * Cluster mode with real processes: a throwaway redis-server and PostgreSQL, and three built
 * Parley servers (`dist/server`, `nx run server:build`) sharing them through `REDIS_URL` and
 * `DATABASE_URL`. alice's tab is on node 1, bob's on nodes 2 and 3: presence, a room message
 * and an admin's provider toggle cross nodes within 1 s; a killed node's tabs stop counting.
 */
import type {
  ChatMessage,
  ProviderDescriptor,
  ProvidersChanged,
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
    // Node 1 first: it runs the migrations and seeds the demo; 2 and 3 find both done.
    nodes.push(await start());
    nodes.push(...(await Promise.all([start(), start()])));
  });

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
});
