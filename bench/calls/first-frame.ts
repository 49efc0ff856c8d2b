/**
 * Click to first remote frame, in Chromium: Alice clicks the call button on Bob's profile, Bob's
 * tab answers as soon as the toast shows (Playwright clicks Answer), and the bench times, inside
 * Alice's page, from the click to the first decoded frame of Bob's video
 * (`requestVideoFrameCallback` on the call window's remote video). Real, built server (dist/server
 * + dist/portal), Debian Chromium with fake devices. Prints p50/p95 over N calls (default 20).
 *
 *   ./parley build && bash tools/netns.sh node bench/calls/first-frame.ts [calls]
 *
 * Plain TypeScript that Node 24 runs directly (type stripping).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, signIn } from '../../test/support/browser.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/server/apps/server/src/main.js');
const CALLS = Math.max(20, Number(process.argv[2] ?? 20) || 20);
const WARMUP = 2;

/** In Alice's page: time of the call-button click and of the first remote video frame. */
const PROBE = `(() => {
  window.__bench = { clickAt: 0, frameAt: 0 };
  document.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('[data-testid="call-button"]')) {
      window.__bench = { clickAt: performance.now(), frameAt: 0 };
    }
  }, true);
  const watch = (video) => {
    if (video.__benchWatched) return;
    video.__benchWatched = true;
    const onFrame = () => { if (!window.__bench.frameAt) window.__bench.frameAt = performance.now(); };
    video.requestVideoFrameCallback(onFrame);
  };
  new MutationObserver(() => document.querySelectorAll('[data-testid="remote-video"]').forEach(watch))
    .observe(document, { childList: true, subtree: true });
})();`;

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
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const server = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const browser = await launchChromium();
  try {
    for (let i = 0; ; i++) {
      if (
        (await fetch(`${url}/api/health`)
          .then((r) => r.ok)
          .catch(() => false)) === true
      )
        break;
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const alice = await signIn(browser, url, 'alice');
    const bob = await signIn(browser, url, 'bob');
    await alice.context.addInitScript(PROBE);
    const users = (await (await alice.context.request.get('/api/users')).json()) as {
      id: string;
      username: string;
    }[];
    const bobId = users.find((u) => u.username === 'bob')?.id;
    await alice.page.goto(`/people/${bobId}`);
    const button = alice.page.locator('[data-call-slot="profile-header"] [data-testid="call-button"]');

    const samples: number[] = [];
    for (let i = 0; i < CALLS + WARMUP; i++) {
      await button.waitFor();
      await alice.page.waitForFunction(() => !document.querySelector('[data-testid="call-window"]'));
      await button.click();
      await bob.page.getByTestId('incoming-call-answer').click({ timeout: 10_000 });
      await alice.page
        .waitForFunction(
          () => (window as unknown as { __bench: { frameAt: number } }).__bench.frameAt > 0,
          undefined,
          {
            timeout: 20_000,
          },
        )
        .catch(async (err: unknown) => {
          const phase = await alice.page.getByTestId('call-window').getAttribute('data-phase');
          const bench = await alice.page.evaluate(() =>
            JSON.stringify((window as unknown as { __bench: unknown }).__bench),
          );
          throw new Error(`no remote frame (call window: ${phase}, probe: ${bench}): ${String(err)}`);
        });
      const ms = await alice.page.evaluate(() => {
        const b = (window as unknown as { __bench: { clickAt: number; frameAt: number } }).__bench;
        return b.frameAt - b.clickAt;
      });
      if (i >= WARMUP) samples.push(ms);
      await alice.page.getByTestId('call-hangup').click();
      await alice.page.getByTestId('call-close').click();
      await bob.page.waitForFunction(
        () => !document.querySelector('[data-testid="call-window"][data-phase="active"]'),
      );
      const close = bob.page.getByTestId('call-close');
      if (await close.isVisible().catch(() => false)) await close.click();
      await bob.page.waitForFunction(() => !document.querySelector('[data-testid="call-window"]'));
    }
    samples.sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
    console.log(`click -> first remote frame, ${samples.length} calls (after ${WARMUP} warm-up calls)`);
    console.log(
      `p50 ${fmt(percentile(samples, 50))}  p95 ${fmt(percentile(samples, 95))}  min ${fmt(samples[0])}  max ${fmt(samples[samples.length - 1])}`,
    );
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
