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
import { launchChromium, signIn } from '../../test/support/browser.ts';
import { percentile, startParley } from '../support/parley.ts';

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

async function main(): Promise<void> {
  const server = await startParley();
  const url = server.base;
  const browser = await launchChromium();
  try {
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
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
