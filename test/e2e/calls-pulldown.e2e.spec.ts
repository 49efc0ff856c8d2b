// The provider pulldown with two usable providers (built-in WebRTC first, Jitsi second): the choice
// made in the pulldown is stored server-side per context, so it survives a reload and reaches a
// second browser context of the same user; another context keeps its own choice. Jitsi points at
// https://meet.example.invalid, never contacted: every call placed here is cancelled while it rings
// (a Jitsi client half only opens a meeting once the call is answered).
import type { Browser, Page } from 'playwright-core';
import { API, type ProviderDescriptor, type UserPreferences } from '@parley/protocol';
import { launchChromium, signIn } from '../support/browser';
import { person, type Person } from '../support/calls';
import { startParley, type TestServer } from '../support/parley-server';

describe('calls: provider pulldown remembers the choice', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    server = await startParley({ PARLEY_CONNECTORS: '@parley/connector-jitsi' });
    browser = await launchChromium();
    alice = await person(browser, server.url, 'alice');
    bob = await person(browser, server.url, 'bob');
    const res = await bob.context.request.post(API.posts, {
      data: { body: `Pick a provider ${Date.now()}` },
    });
    expect(res.ok()).toBe(true);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const profileSlot = (page: Page) => page.locator('[data-call-slot="profile-header"]');
  const mainButton = (page: Page, provider: string) =>
    profileSlot(page).locator(`[data-testid="call-button"][data-provider="${provider}"]`);

  async function openProfile(page: Page): Promise<void> {
    await page.goto(`/people/${bob.user.id}`);
    await profileSlot(page).getByTestId('call-provider-toggle').waitFor({ timeout: 10_000 });
  }

  /**
   * Loads bob's profile page afresh and expects `provider` on the main button and checked in the
   * pulldown, once the stored preferences are in (before that the button offers the first provider).
   */
  async function expectRemembered(page: Page, provider: string, how: 'reload' | 'open'): Promise<void> {
    const loaded = page.waitForResponse(
      (res) => res.url().endsWith(API.myPreferences) && res.request().method() === 'GET',
      { timeout: 15_000 },
    );
    if (how === 'reload') await page.reload();
    else await openProfile(page);
    expect((await loaded).status()).toBe(200);
    await mainButton(page, provider).waitFor({ timeout: 10_000 });
    await profileSlot(page).getByTestId('call-provider-toggle').click();
    const checked = await profileSlot(page)
      .getByRole('menuitemradio')
      .evaluateAll((items) =>
        items
          .filter((i) => i.getAttribute('aria-checked') === 'true')
          .map((i) => i.getAttribute('data-testid')),
      );
    expect(checked).toEqual([`call-provider-option-${provider}`]);
    await page.keyboard.press('Escape');
    await profileSlot(page).getByTestId('call-provider-menu').waitFor({ state: 'detached' });
  }

  /** Picks `provider` in the profile pulldown (that places a call), then cancels the call while it rings. */
  async function chooseAndCancel(page: Page, provider: string): Promise<void> {
    await profileSlot(page).getByTestId('call-provider-toggle').click();
    const menu = profileSlot(page).getByTestId('call-provider-menu');
    await menu.waitFor();
    await menu.getByTestId(`call-provider-option-${provider}`).click();
    await menu.waitFor({ state: 'detached' });
    await page.locator('[data-testid="call-window"][data-phase="ringing"]').waitFor({ timeout: 15_000 });
    const toast = bob.page.getByTestId('incoming-call');
    await toast.waitFor({ timeout: 10_000 });
    await page.getByTestId('call-cancel').click();
    await toast.waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
  }

  async function storedChoice(who: Person): Promise<UserPreferences['lastProvider']> {
    const res = await who.context.request.get(API.myPreferences);
    expect(res.status()).toBe(200);
    return ((await res.json()) as UserPreferences).lastProvider;
  }

  it('the admin activates Jitsi next to the built-in provider', async () => {
    const res = await alice.context.request.put(API.adminProvider('jitsi'), {
      data: {
        active: true,
        settings: {
          serviceUrl: 'https://meet.example.invalid',
          appId: 'parley',
          appSecret: 'pulldown-test-secret',
          tokenTtlMinutes: 30,
        },
      },
    });
    expect(res.status()).toBe(200);
    const providers = (await (await alice.context.request.get(API.providers)).json()) as ProviderDescriptor[];
    expect(providers.map((p) => p.type)).toEqual(['webrtc', 'jitsi']);
    expect(await storedChoice(alice)).toEqual({});
  });

  it('shows a split button: the first provider by default, both in the pulldown', async () => {
    await openProfile(alice.page);
    await mainButton(alice.page, 'webrtc').waitFor();
    await profileSlot(alice.page).getByTestId('call-provider-toggle').click();
    const menu = profileSlot(alice.page).getByTestId('call-provider-menu');
    await menu.waitFor();
    const options = await menu
      .getByRole('menuitemradio')
      .evaluateAll((items) =>
        items.map((i) => [i.getAttribute('data-testid'), i.getAttribute('aria-checked')]),
      );
    expect(options).toEqual([
      ['call-provider-option-webrtc', 'true'],
      ['call-provider-option-jitsi', 'false'],
    ]);
    await alice.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
  });

  it('the choice survives a reload and reaches a second browser context of the same user', async () => {
    await chooseAndCancel(alice.page, 'jitsi');
    await mainButton(alice.page, 'jitsi').waitFor();
    expect(await storedChoice(alice)).toEqual({ profile: 'jitsi' });
    // The cancelled call went out with Jitsi.
    const history = (await (
      await alice.context.request.get(`${API.callHistory}?userId=${bob.user.id}`)
    ).json()) as { entries: { call: { providerType: string; outcome: string | null } }[] };
    expect(history.entries[0]?.call).toMatchObject({ providerType: 'jitsi', outcome: 'cancelled' });

    await expectRemembered(alice.page, 'jitsi', 'reload');

    // Another browser context (own cookies, nothing shared but the account).
    const other = await signIn(browser, server.url, 'alice');
    try {
      await expectRemembered(other.page, 'jitsi', 'open');

      // Per context: the popover (activity stream) has no choice yet, so it offers the first provider.
      const loaded = other.page.waitForResponse(
        (res) => res.url().endsWith(API.myPreferences) && res.request().method() === 'GET',
        { timeout: 15_000 },
      );
      await other.page.goto('/');
      const chip = other.page
        .locator('parley-user-chip', { has: other.page.locator(`[href="/people/${bob.user.id}"]`) })
        .first();
      await chip.hover();
      const popover = other.page.getByTestId('user-popover');
      await popover.waitFor();
      expect((await loaded).status()).toBe(200);
      await popover
        .locator('[data-testid="call-button"][data-provider="webrtc"]')
        .waitFor({ timeout: 10_000 });
      expect(await popover.locator('[data-testid="call-button"][data-provider="jitsi"]').count()).toBe(0);

      // Choosing the built-in provider again in the second context is what the first one sees after a reload.
      await openProfile(other.page);
      await mainButton(other.page, 'jitsi').waitFor({ timeout: 10_000 });
      await chooseAndCancel(other.page, 'webrtc');
      await mainButton(other.page, 'webrtc').waitFor();
      expect(await storedChoice(alice)).toEqual({ profile: 'webrtc' });
      await expectRemembered(alice.page, 'webrtc', 'reload');
    } finally {
      await other.context.close();
    }
  });
});
