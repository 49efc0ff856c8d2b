/**
 * Ring latency: `call.start` emitted by the caller -> `call.incoming` received by the callee, over
 * real sockets against the real, built server (dist/server, started here on a free port with a
 * throwaway data folder). Prints p50/p95 over N calls (default 30; each call is cancelled before the
 * next one).
 *
 *   npx nx run server:build && node bench/calls/ring-latency.ts [calls]
 *
 * Plain TypeScript that Node 24 runs directly (type stripping): no decorators, no path aliases.
 */
import { performance } from 'node:perf_hooks';
import { percentile, request, startParley } from '../support/parley.ts';

const CALLS = Math.max(20, Number(process.argv[2] ?? 30) || 30);

async function main(): Promise<void> {
  const server = await startParley({ env: { MEDIASOUP_WORKERS: '1' } });
  try {
    const alice = await server.login('alice');
    const bob = await server.login('bob');
    const caller = await server.connect(alice.token);
    const callee = await server.connect(bob.token);

    const samples: number[] = [];
    for (let i = 0; i < CALLS + 3; i++) {
      const incoming = new Promise<number>((done) =>
        callee.once('call.incoming', () => done(performance.now())),
      );
      const t0 = performance.now();
      const call = await request<{ id: string }>(caller, 'call.start', {
        providerType: 'webrtc',
        target: { kind: 'user', userId: bob.user.id },
      });
      const t1 = await incoming;
      if (i >= 3) samples.push(t1 - t0); // the first calls warm up
      await request(caller, 'call.cancel', { callId: call.id });
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
    console.log(`ring latency (call.start -> call.incoming), ${samples.length} calls over real sockets:`);
    console.log(
      `  p50 ${fmt(percentile(sorted, 50))}  p95 ${fmt(percentile(sorted, 95))}  min ${fmt(sorted[0])}  max ${fmt(sorted[sorted.length - 1])}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
