// What every benchmark needs from a running Parley: the built server (`dist/server`) started on a
// free port with a throwaway data folder, demo users signed in over REST, socket.io connections,
// acknowledged requests, and percentiles. Loopback only.
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { launchParley } from '../../test/support/parley-process.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

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

/** Starts `dist/server` (the tests' launcher, `test/support/parley-process.ts`) and waits for `/api/health`. */
export async function startParley(
  options: { env?: Record<string, string>; nodeArgs?: string[]; stdio?: StdioOptions } = {},
): Promise<BenchServer> {
  const server = await launchParley({
    root: ROOT,
    tmpPrefix: 'parley-bench-',
    env: options.env,
    nodeArgs: options.nodeArgs,
    stdio: options.stdio ?? ['ignore', 'inherit', 'inherit'],
  });
  const base = server.url;
  const sockets: Socket[] = [];
  const stop = async () => {
    for (const socket of sockets) socket.disconnect();
    await server.stop();
  };
  return {
    base,
    process: server.process,
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
