/**
 * Starts the built Parley server (`dist/server`, from `nx run server:build`) as a
 * child process on a free port with its own temporary data folder (SQLite file,
 * demo seed), waits until /api/health answers, and stops it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/server/apps/server/src/main.js');
const PORTAL = join(ROOT, 'dist/portal/browser/index.html');

export interface TestServer {
  url: string;
  dataDir: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export async function startParley(env: Record<string, string> = {}): Promise<TestServer> {
  for (const [file, hint] of [
    [MAIN, 'npx nx run server:build'],
    [PORTAL, 'npx nx run portal:build'],
  ]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`${hint}\` (./parley test does) first.`);
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Links the server writes (e.g. `/call link`) point at this test server.
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      // Free media ports: the integration tests run side by side with these (tools/test.sh).
      WEBRTC_RTC_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  // Poll health until it answers (start-up runs migrations and the seed), or the process dies.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Parley exited with ${child.exitCode} during start-up:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Parley did not answer /api/health within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, dataDir, output: () => output, stop };
}
