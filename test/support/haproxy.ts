/**
 * A throwaway haproxy (Debian `haproxy`, /usr/sbin/haproxy) in front of several Parley nodes: HTTP
 * mode on 127.0.0.1 with a free port, `balance roundrobin` with cookie stickiness (`PARLEY_NODE`,
 * `n1`, `n2`, … in the order of `backends`), WebSocket-friendly timeouts, its generated config in
 * a temp dir, and `stop()` that stops it and deletes the dir. `HAPROXY` names another binary. The
 * same config is the one docs/operations.md shows ("Tested load balancer: haproxy").
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopper } from './parley-process';

export interface TestHaproxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The `PARLEY_NODE` cookie value of each backend, in the order given: `n1`, `n2`, … */
  cookies: string[];
  /** What haproxy printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
/** The sticky cookie haproxy inserts: which node a browser's requests go to. */
export const NODE_COOKIE = 'PARLEY_NODE';

export function findHaproxy(): string {
  const candidates = [process.env['HAPROXY'], '/usr/sbin/haproxy', '/usr/local/sbin/haproxy'];
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found) {
    throw new Error('haproxy not found: install it (apt-get install haproxy) or set HAPROXY');
  }
  return found;
}

/** The config: `backends` are `host:port` of the nodes. */
export function haproxyConfig(port: number, backends: string[]): string {
  return [
    'global',
    '    maxconn 1024',
    'defaults',
    '    mode http',
    '    option forwardfor',
    '    timeout connect 5s',
    // Above socket.io's 10 s ping interval; a WebSocket, once upgraded, lives under `tunnel`.
    '    timeout client 60s',
    '    timeout server 60s',
    '    timeout tunnel 1h',
    `frontend parley`,
    `    bind 127.0.0.1:${port}`,
    '    default_backend parley_nodes',
    'backend parley_nodes',
    '    balance roundrobin',
    // Sticky: socket.io's HTTP long-polling needs every request of a connection on one node.
    `    cookie ${NODE_COOKIE} insert indirect nocache`,
    ...backends.map((address, n) => `    server n${n + 1} ${address} cookie n${n + 1}`),
    '',
  ].join('\n');
}

/** Whether something accepts a TCP connection on the port (no HTTP request: none is balanced). */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on('connect', () => {
      socket.end();
      done(true);
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

/**
 * haproxy in front of `backends` (`http://host:port` or `host:port`), on `port` (default: a free
 * one; pass one to know haproxy's address before the nodes start, for their PUBLIC_URL).
 */
export async function startHaproxy(backends: string[], port?: number): Promise<TestHaproxy> {
  const bin = findHaproxy();
  const dir = mkdtempSync(join(tmpdir(), 'parley-haproxy-'));
  port ??= await freePort();
  const addresses = backends.map((backend) => backend.replace(/^https?:\/\//, '').replace(/\/.*$/, ''));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(port, addresses));
  let output = '';
  // -db: foreground, no daemon; SIGTERM stops it.
  const child = spawn(bin, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const stop = stopper(child, dir);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`haproxy did not listen on port ${port}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cookies: addresses.map((_, n) => `n${n + 1}`),
    output: () => output,
    stop,
  };
}
