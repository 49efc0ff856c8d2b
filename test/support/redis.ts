/**
 * A throwaway Redis for tests: Debian's `redis-server` on 127.0.0.1 with a free port, no
 * persistence (no RDB snapshots, no AOF), its working folder in a temp dir, and `stop()` that
 * stops it and deletes the folder. `REDIS_SERVER` names another binary.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopper } from './parley-process';

export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** What the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

export function findRedisServer(): string {
  const candidates = [process.env['REDIS_SERVER'], '/usr/bin/redis-server', '/usr/local/bin/redis-server'];
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found) {
    throw new Error(
      'redis-server not found: install it (apt-get install redis-server; tools/test-deps.sh does) or set REDIS_SERVER',
    );
  }
  return found;
}

/** Whether something answers PING with PONG on the port. */
function pong(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('close', () => done(reply.startsWith('+PONG')));
    socket.on('error', () => undefined);
  });
}

/** Starts redis-server on a free port, or on `port` (a restart where clients expect it). */
export async function startRedis(port?: number): Promise<TestRedis> {
  const bin = findRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'parley-redis-'));
  port ??= await freePort();
  let output = '';
  const child = spawn(
    bin,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const stop = stopper(child, dir);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await pong(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING on port ${port}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, port, output: () => output, stop };
}
