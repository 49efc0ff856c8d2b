// Two people in two browser contexts: a chat message from one shows up live for
// the other, and a presence change shows up live too. Real server, real Chromium.
import type { Browser } from 'playwright-core';
import type { UserSummary } from '@parley/protocol';
import { launchChromium, signIn } from '../support/browser';
import { startParley, type TestServer } from '../support/parley-server';

describe('portal: live chat and presence', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows A's chat message to B live and B's presence change to A", async () => {
    const alice = await signIn(browser, server.url, 'alice');
    const bob = await signIn(browser, server.url, 'bob');

    for (const { page } of [alice, bob]) {
      await page.getByTestId('room-link-town-square').click();
      await page.getByTestId('message-list').waitFor();
    }

    const text = `Hello Bob, it is ${Date.now()}`;
    await alice.page.getByTestId('message-input').fill(text);
    await alice.page.getByTestId('message-send').click();
    await bob.page.getByTestId('message').filter({ hasText: text }).waitFor({ timeout: 15_000 });

    // Bob answers, so his avatar (with its presence dot) is on Alice's page.
    const reply = `Hi Alice ${Date.now()}`;
    await bob.page.getByTestId('message-input').fill(reply);
    await bob.page.getByTestId('message-input').press('Enter');
    await alice.page.getByTestId('message').filter({ hasText: reply }).waitFor({ timeout: 15_000 });

    const users = (await (await bob.context.request.get('/api/users')).json()) as UserSummary[];
    const bobId = users.find((u) => u.username === 'bob')?.id;
    expect(bobId).toBeDefined();
    const bobDotOnAlicePage = alice.page.getByTestId(`presence-${bobId}`).first();
    expect(await bobDotOnAlicePage.getAttribute('data-presence', { timeout: 15_000 })).toBe('available');

    await bob.page.getByTestId('presence-menu').click();
    await bob.page.getByTestId('presence-option-dnd').click();
    await alice.page.waitForSelector(`[data-testid="presence-${bobId}"][data-presence="dnd"]`, {
      timeout: 15_000,
    });

    await alice.context.close();
    await bob.context.close();
  });

  it('refuses a wrong password with a clear message', async () => {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByTestId('login-username').fill('alice');
    await page.getByTestId('login-password').fill('not-her-password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain(
      'Invalid username or password',
    );
    await context.close();
  });
});
