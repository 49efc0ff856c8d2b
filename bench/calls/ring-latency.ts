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
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';

interface Reply<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/server/apps/server/src/main.js');
const CALLS = Math.max(20, Number(process.argv[2] ?? 30) || 30);

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

async function main(): Promise<void> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const server = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      MEDIASOUP_WORKERS: '1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const sockets: Socket[] = [];
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
      const ok = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error('server did not start within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = async (username: string) => {
      const response = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'parley' }),
      });
      return (await response.json()) as { token: string; user: { id: string } };
    };
    const connect = (token: string) =>
      new Promise<Socket>((done, fail) => {
        const socket = io(base, {
          path: '/socket.io',
          transports: ['websocket'],
          reconnection: false,
          auth: { token },
        });
        sockets.push(socket);
        socket.once('connect', () => done(socket));
        socket.once('connect_error', fail);
      });
    const alice = await login('alice');
    const bob = await login('bob');
    const caller = await connect(alice.token);
    const callee = await connect(bob.token);

    const samples: number[] = [];
    for (let i = 0; i < CALLS + 3; i++) {
      const incoming = new Promise<number>((done) =>
        callee.once('call.incoming', () => done(performance.now())),
      );
      const t0 = performance.now();
      const reply = (await caller.emitWithAck('call.start', {
        providerType: 'webrtc',
        target: { kind: 'user', userId: bob.user.id },
      })) as Reply<{ id: string }>;
      if (!reply.ok || !reply.data) throw new Error(`call.start failed: ${JSON.stringify(reply.error)}`);
      const t1 = await incoming;
      if (i >= 3) samples.push(t1 - t0); // the first calls warm up
      const cancelled = (await caller.emitWithAck('call.cancel', {
        callId: reply.data.id,
      })) as Reply<unknown>;
      if (!cancelled.ok) throw new Error(`call.cancel failed: ${JSON.stringify(cancelled.error)}`);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
    console.log(`ring latency (call.start -> call.incoming), ${samples.length} calls over real sockets:`);
    console.log(
      `  p50 ${fmt(percentile(sorted, 50))}  p95 ${fmt(percentile(sorted, 95))}  min ${fmt(sorted[0])}  max ${fmt(sorted[sorted.length - 1])}`,
    );
  } finally {
    for (const socket of sockets) socket.disconnect();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
