// What every benchmark needs from a running Parley: the built server (`dist/server`) started on a
// free port with a throwaway data folder, demo users signed in over REST, socket.io connections,
// acknowledged requests, and percentiles. Loopback only.
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';

export const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/server/apps/server/src/main.js');

interface Reply<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

export interface BenchServer {
  base: string;
  process: ChildProcess;
  /** Signs a demo user in (password `parley`). */
  login(username: string): Promise<{ token: string; user: { id: string } }>;
  /** A socket.io connection authenticated with `token`, closed by `stop()`. */
  connect(token: string): Promise<Socket>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
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

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** Emits a request and returns its data, or throws with the server's error. */
export async function request<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const reply = (await socket.timeout(10_000).emitWithAck(event, payload)) as Reply<T>;
  if (!reply.ok) throw new Error(`${event} failed: ${JSON.stringify(reply.error)}`);
  return reply.data as T;
}

/** Starts `dist/server` and waits for `/api/health` (30 s at most). */
export async function startParley(
  options: { env?: Record<string, string>; nodeArgs?: string[]; stdio?: StdioOptions } = {},
): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const server = spawn(process.execPath, [...(options.nodeArgs ?? []), MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: options.stdio ?? ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const sockets: Socket[] = [];
  const stop = async () => {
    for (const socket of sockets) socket.disconnect();
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
      const up = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error('server did not start within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    base,
    process: server,
    async login(username) {
      const response = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'parley' }),
      });
      if (!response.ok) throw new Error(`login ${username}: HTTP ${response.status}`);
      return (await response.json()) as { token: string; user: { id: string } };
    },
    connect(token) {
      return new Promise<Socket>((done, fail) => {
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
    },
    stop,
  };
}
