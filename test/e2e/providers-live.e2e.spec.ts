// A provider's call button follows the admins' changes live: Alice (admin) switches Jitsi off and
// on; Bob's open room page loses and regains the button within a second, without a reload.
// Real server (with the Jitsi plug-in), real Chromium; the client half is loaded with import().
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { API, type AdminProvider, type AdminProvidersResponse, type ProviderUpdate } from '@parley/protocol';
import { launchChromium, signIn } from '../support/browser';
import { startParley, type TestServer } from '../support/parley-server';

const JITSI_SETTINGS = {
  serviceUrl: 'https://meet.example.test',
  appId: 'parley',
  appSecret: 'a-long-enough-secret',
  roomPrefix: 'parley-',
  tokenTtlMinutes: 60,
};

/** Switches every other provider off, so `type` is the only one a call button can show. */
async function deactivateAllBut(admin: BrowserContext, type: string): Promise<void> {
  const { providers } = (await (
    await admin.request.get(API.adminProviders)
  ).json()) as AdminProvidersResponse;
  for (const provider of providers.filter((p) => p.type !== type && p.active)) {
    const res = await admin.request.put(API.adminProvider(provider.type), { data: { active: false } });
    expect(res.status()).toBe(200);
  }
}

describe('providers: live call buttons', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: { context: BrowserContext; page: Page };
  let bob: { context: BrowserContext; page: Page };

  beforeAll(async () => {
    server = await startParley({ PARLEY_CONNECTORS: '@parley/connector-jitsi' });
    browser = await launchChromium();
    alice = await signIn(browser, server.url, 'alice');
    bob = await signIn(browser, server.url, 'bob');
    // Jitsi alone: with several usable providers the widget shows the first (built-in WebRTC) on its
    // button and the others in a pulldown.
    await deactivateAllBut(alice.context, 'jitsi');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function updateJitsi(update: ProviderUpdate): Promise<number> {
    const res = await alice.context.request.put(API.adminProvider('jitsi'), { data: update });
    const answeredAt = Date.now();
    expect(res.status()).toBe(200);
    return answeredAt;
  }

  it('shows no button while Jitsi is inactive (a new plug-in) and not configured, then one once configured and switched on', async () => {
    await bob.page.getByTestId('room-link-town-square').click();
    const slot = bob.page.locator('[data-call-slot="room-header"]');
    await slot.waitFor({ state: 'attached' });
    expect(await slot.getByTestId('call-button').count()).toBe(0);

    const jitsi = (await (
      await alice.context.request.get(API.adminProvider('jitsi'))
    ).json()) as AdminProvider;
    expect(jitsi.active).toBe(false);
    expect(jitsi.configured).toBe(false);

    await updateJitsi({ active: true, settings: JITSI_SETTINGS });
    const button = slot.locator('[data-testid="call-button"][data-provider="jitsi"]');
    await button.waitFor({ timeout: 15_000 });
    expect(await button.textContent()).toContain('Call with Jitsi Meet');
  });

  it('removes the button within 1 s of a deactivation and brings it back on reactivation, no reload', async () => {
    const page = bob.page;
    const button = page.locator(
      '[data-call-slot="room-header"] [data-testid="call-button"][data-provider="jitsi"]',
    );
    await button.waitFor({ timeout: 15_000 });
    await page.evaluate(() => ((window as unknown as { parleyMarker: string }).parleyMarker = 'same page'));

    const switchedOffAt = await updateJitsi({ active: false });
    await button.waitFor({ state: 'detached', timeout: 15_000 });
    const goneAfter = Date.now() - switchedOffAt;
    expect(goneAfter).toBeLessThan(1000);

    const switchedOnAt = await updateJitsi({ active: true });
    await button.waitFor({ timeout: 15_000 });
    expect(Date.now() - switchedOnAt).toBeLessThan(1000);

    // Still the same document: nothing reloaded.
    expect(await page.evaluate(() => (window as unknown as { parleyMarker?: string }).parleyMarker)).toBe(
      'same page',
    );
  });
});
