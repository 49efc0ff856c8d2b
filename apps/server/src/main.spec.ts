/** Runs the real entry point, compiled with SWC like the build, as a child process. */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '../../..');
const run = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('main (compiled)', () => {
  let dir: string;
  let entry: string;

  beforeAll(async () => {
    // Inside the workspace (tmp/ is git-ignored) so the compiled code resolves node_modules.
    mkdirSync(join(root, 'tmp'), { recursive: true });
    dir = mkdtempSync(join(root, 'tmp', 'main-spec-'));
    const swc = join(root, 'node_modules/.bin/swc');
    const sources = [
      'apps/server/src',
      'libs/protocol/src',
      'libs/connector-sdk/src',
      'libs/server',
      'libs/connectors/webrtc/src',
    ];
    const ignore = '**/*.spec.ts,**/testing.ts,**/testing/**,**/src/client/**';
    await run(swc, [...sources, '-d', join(dir, 'out'), '--ignore', ignore], {
      cwd: root,
    });
    entry = join(dir, 'out/apps/server/src/main.js');
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the entry until it exits; returns its exit code and stderr. */
  function start(
    env: Record<string, string>,
  ): Promise<{ code: number | null; stderr: string; stdout: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [entry], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn', ...env },
      });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('exit', (code) => done({ code, stderr, stdout }));
    });
  }

  it('exits with code 1 and names the variable for a bad value', async () => {
    const result = await start({ PORT: 'abc' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid configuration: PORT must be an integer 1-65535 (got "abc")');
  });

  it('refuses production without SESSION_SECRET', async () => {
    const result = await start({ NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SESSION_SECRET is required when NODE_ENV=production');
  });

  it('refuses production without SECRETS_KEY, with a clear message', async () => {
    const result = await start({ NODE_ENV: 'production', SESSION_SECRET: 'a-long-enough-session-secret' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SECRETS_KEY is required when NODE_ENV=production');
  });

  it('starts, answers /api/health, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [entry], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
      child.on('exit', (code, signal) => done({ code, signal })),
    );
    let output = '';
    try {
      // Wait for the "listening" log line rather than polling on a timer.
      await new Promise<void>((done, fail) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Parley listening')) done();
        });
        child.on('exit', (code) => fail(new Error(`exited early with ${code}: ${output}`)));
      });
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'up' } } });
      // Development without SECRETS_KEY: a key is generated under DATA_DIR and the log says so.
      expect(output).toContain('SECRETS_KEY is not set: generated a development key and stored it in');
      expect(existsSync(join(dir, 'data/secrets-key'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    // The drain (no call live: at once), then the app closes and the process exits 0.
    const { code, signal } = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});
