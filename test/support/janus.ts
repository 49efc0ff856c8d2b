/**
 * Starts a real Janus gateway (Debian's `janus`, `/usr/bin/janus`) for a test: a temporary config
 * folder generated from the reference configs (`test/support/janus-reference/`, or the folder named by
 * `JANUS_REFERENCE_DIR`) with free ports for the websockets API and the admin websockets API, the
 * given admin secret and token auth on or off; waits until the websocket answers `info`; stops it
 * (SIGTERM, then SIGKILL) and removes the folder.
 *
 * Media: the reference binds ICE to the interface `v0` (`ice_enforce_list = "v0"`), the veth pair
 * `tools/netns.sh` creates inside the tests' private network namespace (198.18.0.1/24).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './parley-server';

const ROOT = resolve(__dirname, '../..');
export const JANUS_BIN = process.env['JANUS_BIN'] ?? '/usr/bin/janus';
// The project's reference configs (kept in the repo, so a clone alone can run the tests).
const REFERENCE = process.env['JANUS_REFERENCE_DIR'] ?? resolve(ROOT, 'test/support/janus-reference');

export interface JanusOptions {
  adminSecret?: string;
  tokenAuth?: boolean;
  /** The VideoRoom `admin_key` (the reference sets one); null: none. */
  roomAdminKey?: string | null;
}

export interface TestJanus {
  /** `ws://127.0.0.1:<port>`: the Janus API (subprotocol `janus-protocol`). */
  wsUrl: string;
  /** `ws://127.0.0.1:<port>`: the admin API (subprotocol `janus-admin-protocol`). */
  adminUrl: string;
  adminSecret: string;
  roomAdminKey: string | null;
  tokenAuth: boolean;
  running(): boolean;
  output(): string;
  /** SIGTERM (SIGKILL after 5 s); keeps the config folder so `start()` can run it again. */
  stop(): Promise<void>;
  /** Starts it again on the same ports (after `stop()`). */
  start(): Promise<void>;
  /** Stops it and removes the config folder. */
  dispose(): Promise<void>;
}

function reference(name: string): string {
  const file = join(REFERENCE, name);
  if (!existsSync(file)) throw new Error(`Janus reference config ${file} is missing`);
  return readFileSync(file, 'utf8');
}

/** Replaces `key = value` inside `section: { ... }` of a jcfg text (adds the key when absent). */
function setKey(text: string, section: string, key: string, value: string): string {
  const start = text.search(new RegExp(`^${section}:\\s*\\{`, 'm'));
  if (start < 0) throw new Error(`section ${section} not in the Janus config`);
  const end = text.indexOf('\n}', start);
  const body = text.slice(start, end);
  const line = new RegExp(`^(\\s*)#?\\s*${key}\\s*=.*$`, 'm');
  const next = line.test(body) ? body.replace(line, `$1${key} = ${value}`) : `${body}\n\t${key} = ${value}`;
  return text.slice(0, start) + next + text.slice(end);
}

/** One `info` over the Janus websocket API; resolves with the answer, rejects on close/timeout. */
export function janusInfo(url: string, protocol = 'janus-protocol', timeoutMs = 2_000): Promise<unknown> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(url, protocol);
    const timer = setTimeout(() => {
      ws.close();
      fail(new Error('no answer'));
    }, timeoutMs);
    ws.onopen = () => ws.send(JSON.stringify({ janus: 'info', transaction: 'probe' }));
    ws.onmessage = (event) => {
      clearTimeout(timer);
      ws.close();
      done(JSON.parse(String(event.data)));
    };
    ws.onerror = () => {
      clearTimeout(timer);
      fail(new Error('cannot connect'));
    };
  });
}

export async function startJanus(options: JanusOptions = {}): Promise<TestJanus> {
  if (!existsSync(JANUS_BIN))
    throw new Error(`${JANUS_BIN} is missing: install Debian's janus (tools/test-deps.sh)`);
  const adminSecret = options.adminSecret ?? 'janus-admin-secret-test';
  const tokenAuth = options.tokenAuth ?? false;
  const roomAdminKey = options.roomAdminKey === undefined ? 'janus-room-admin-key' : options.roomAdminKey;
  const [wsPort, adminPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'parley-janus-'));

  let main = reference('janus.jcfg');
  main = setKey(main, 'general', 'configs_folder', JSON.stringify(dir));
  main = setKey(main, 'general', 'admin_secret', JSON.stringify(adminSecret));
  main = setKey(main, 'general', 'token_auth', tokenAuth ? 'true' : 'false');
  main = setKey(main, 'general', 'debug_level', '3');
  writeFileSync(join(dir, 'janus.jcfg'), main);
  let ws = reference('janus.transport.websockets.jcfg');
  ws = setKey(ws, 'general', 'ws_port', String(wsPort));
  ws = setKey(ws, 'admin', 'admin_ws_port', String(adminPort));
  writeFileSync(join(dir, 'janus.transport.websockets.jcfg'), ws);
  let room = reference('janus.plugin.videoroom.jcfg');
  room = roomAdminKey
    ? setKey(room, 'general', 'admin_key', JSON.stringify(roomAdminKey))
    : room.replace(/^(\s*)admin_key\s*=.*$/m, '$1# admin_key: none');
  writeFileSync(join(dir, 'janus.plugin.videoroom.jcfg'), room);

  const wsUrl = `ws://127.0.0.1:${wsPort}`;
  const adminUrl = `ws://127.0.0.1:${adminPort}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };

  const start = async (): Promise<void> => {
    const proc = spawn(JANUS_BIN, ['-C', join(dir, 'janus.jcfg'), '-F', dir, '-o'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    exited = new Promise((done) => proc.once('exit', () => done()));
    proc.stdout?.on('data', (chunk) => (output += chunk));
    proc.stderr?.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`Janus exited during start-up (${proc.exitCode ?? proc.signalCode}):\n${output}`);
      }
      try {
        const answer = (await janusInfo(wsUrl)) as { janus?: string };
        if (answer.janus === 'server_info') return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`Janus did not answer info within 15 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  await start();
  return {
    wsUrl,
    adminUrl,
    adminSecret,
    roomAdminKey,
    tokenAuth,
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    output: () => output,
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
