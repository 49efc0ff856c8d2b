/**
 * One node vs three nodes through Redis, side by side in one run on this machine: ring latency
 * (`call.start` on the caller's socket -> `call.incoming` on the callee's), group-call join
 * latency (`call.room.join` round trip) and a media signalling round trip
 * (`webrtc.transport.create`), over real sockets against the built server (`dist/server`).
 *
 *   - 1 node, SQLite: the embedded default (`./parley up`);
 *   - 1 node, PostgreSQL: the same database engine as the cluster, without Redis;
 *   - 3 nodes, PostgreSQL + Redis: the caller and the call's host on node 1, the callee and the
 *     joiner on node 2, so every ring crosses the socket.io Redis adapter and every join and
 *     media request is relayed to node 1 (`CallRelay`).
 *
 *   npx nx run server:build && node bench/cluster/run.ts [samples, default 40]
 *
 * A throwaway redis-server and PostgreSQL (Debian's) are started and stopped here. Loopback only.
 */
import '../support/ts-resolve.ts';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { percentile, request, startParley, type BenchServer } from '../support/parley.ts';

const SAMPLES = Math.max(20, Number(process.argv[2] ?? 40) || 40);
const WARM_UP = 3;

const { startRedis } =
  (await import('../../test/support/redis.ts')) as typeof import('../../test/support/redis.ts');
const { startPostgres } =
  (await import('../../test/support/postgres.ts')) as typeof import('../../test/support/postgres.ts');

interface Figures {
  ring: number[];
  join: number[];
  media: number[];
}

/** `samples` timings of `once`, after a few not counted. */
async function measure(samples: number, once: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples + WARM_UP; i++) {
    const ms = await once();
    if (i >= WARM_UP) out.push(ms);
  }
  return out.sort((a, b) => a - b);
}

/** The three figures with alice's sockets on `home` and bob's on `other` (the same node or not). */
async function run(home: BenchServer, other: BenchServer): Promise<Figures> {
  const [alice, bob] = await Promise.all([home.login('alice'), other.login('bob')]);
  const caller: Socket = await home.connect(alice.token);
  const callee: Socket = await other.connect(bob.token);
  // bob must count as online where alice's call is placed (presence crosses nodes).
  for (let tries = 0; ; tries++) {
    const users = (await (
      await fetch(`${home.base}/api/users`, { headers: { authorization: `Bearer ${alice.token}` } })
    ).json()) as { id: string; presence: string }[];
    if (users.some((u) => u.id === bob.user.id && u.presence !== 'offline')) break;
    if (tries > 200) throw new Error('bob never showed up online on the caller node');
    await new Promise((r) => setTimeout(r, 25));
  }

  const ring = await measure(SAMPLES, async () => {
    const incoming = new Promise<number>((done) =>
      callee.once('call.incoming', () => done(performance.now())),
    );
    const t0 = performance.now();
    const call = await request<{ id: string }>(caller, 'call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: bob.user.id },
    });
    const t1 = await incoming;
    await request(caller, 'call.cancel', { callId: call.id });
    return t1 - t0;
  });

  const rooms = (await (
    await fetch(`${home.base}/api/rooms`, { headers: { authorization: `Bearer ${alice.token}` } })
  ).json()) as { id: string; title: string }[];
  const room = rooms.find((r) => r.title === 'Town Square');
  if (!room) throw new Error('no Town Square in the demo');
  // alice holds the group call (hosted where her socket is); bob joins, opens a transport, leaves.
  const held = await request<{ call: { id: string } }>(caller, 'call.room.join', { roomId: room.id });
  const callId = held.call.id;
  const media: number[] = [];
  const join = await measure(SAMPLES, async () => {
    const t0 = performance.now();
    await request(callee, 'call.room.join', { roomId: room.id });
    const t1 = performance.now();
    await request(callee, 'webrtc.transport.create', { callId, direction: 'recv' });
    media.push(performance.now() - t1);
    await request(callee, 'call.hangup', { callId });
    return t1 - t0;
  });
  await request(caller, 'call.hangup', { callId });
  caller.disconnect();
  callee.disconnect();
  return { ring, join, media: media.slice(WARM_UP).sort((a, b) => a - b) };
}

const CLUSTER_ENV = {
  SESSION_SECRET: 'bench-cluster-session-secret-0123456789',
  SECRETS_KEY: 'cd'.repeat(32),
  MEDIASOUP_WORKERS: '1',
  WEBRTC_RTC_PORT: '0',
  PROVIDER_HEALTH_INTERVAL_SECONDS: '0',
};
const quiet = { stdio: ['ignore', 'ignore', 'inherit'] as ['ignore', 'ignore', 'inherit'] };

async function main(): Promise<void> {
  const results: [string, Figures][] = [];

  console.log('[bench] 1 node, SQLite');
  const single = await startParley({ env: { MEDIASOUP_WORKERS: '1' }, ...quiet });
  try {
    results.push(['1 node, SQLite', await run(single, single)]);
  } finally {
    await single.stop();
  }

  console.log('[bench] 1 node, PostgreSQL');
  const pg1 = await startPostgres('parley_bench_single');
  try {
    const node = await startParley({ env: { ...CLUSTER_ENV, DATABASE_URL: pg1.url }, ...quiet });
    try {
      results.push(['1 node, PostgreSQL', await run(node, node)]);
    } finally {
      await node.stop();
    }
  } finally {
    await pg1.stop();
  }

  console.log('[bench] 3 nodes, PostgreSQL + Redis (callee and joiner on another node than the call)');
  const [redis, pg3] = await Promise.all([startRedis(), startPostgres('parley_bench_cluster')]);
  const nodes: BenchServer[] = [];
  try {
    const env = { ...CLUSTER_ENV, DATABASE_URL: pg3.url, REDIS_URL: redis.url };
    nodes.push(...(await Promise.all([0, 1, 2].map(() => startParley({ env, ...quiet })))));
    results.push(['3 nodes, PostgreSQL + Redis', await run(nodes[0], nodes[1])]);
  } finally {
    await Promise.allSettled(nodes.map((node) => node.stop()));
    await Promise.allSettled([redis.stop(), pg3.stop()]);
  }

  const fmt = (ms: number) => `${ms.toFixed(2)} ms`.padStart(10);
  const row = (name: string, sorted: number[]) =>
    `  ${name.padEnd(30)} p50 ${fmt(percentile(sorted, 50))}   p95 ${fmt(percentile(sorted, 95))}   max ${fmt(sorted[sorted.length - 1])}`;
  for (const [what, key] of [
    ['ring latency (call.start -> call.incoming)', 'ring'],
    ['join latency (call.room.join round trip)', 'join'],
    ['media signalling (webrtc.transport.create round trip)', 'media'],
  ] as const) {
    console.log(`\n${what}, ${SAMPLES} samples each:`);
    for (const [name, figures] of results) console.log(row(name, figures[key]));
  }
  const base = results[1][1];
  const cluster = results[2][1];
  const ringRatio = percentile(cluster.ring, 95) / percentile(base.ring, 95);
  const joinDelta = percentile(cluster.join, 50) - percentile(base.join, 50);
  console.log(
    `\ngoals (3 nodes vs 1 node, both PostgreSQL): cross-node ring p95 ${ringRatio.toFixed(2)}x (goal <= 2x), ` +
      `join p50 ${joinDelta >= 0 ? '+' : ''}${joinDelta.toFixed(2)} ms (goal <= +5 ms)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
