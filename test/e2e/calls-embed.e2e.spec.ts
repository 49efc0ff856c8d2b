// The widget as custom elements on a plain HTML page (/embed-demo.html, no Angular on the page):
// the call button renders for a real user; calling a user that does not exist ends with a clear
// error and leaves no call behind (the next call works).
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { person, type Person } from '../support/calls';
import { startParley, type TestServer } from '../support/parley-server';

describe('widget custom elements', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    server = await startParley({ CALL_RING_TIMEOUT_SECONDS: '5' });
    browser = await launchChromium();
    alice = await person(browser, server.url, 'alice');
    bob = await person(browser, server.url, 'bob');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('calls from <parley-call-button> on a plain page; a nonexistent user gives a clear error, no stuck call', async () => {
    const page = alice.page;
    await page.goto('/embed-demo.html');
    const bobButton = page.locator(
      `parley-call-button[user-id="${bob.user.id}"] [data-testid="call-button"]`,
    );
    await bobButton.waitFor({ timeout: 10_000 });

    await page.evaluate(() => {
      const el = document.createElement('parley-call-button');
      el.setAttribute('user-id', 'no-such-user');
      document.getElementById('people')?.append(el);
    });
    await page.locator('parley-call-button[user-id="no-such-user"] [data-testid="call-button"]').click();
    const message = await page.getByTestId('call-end-message').textContent({ timeout: 15_000 });
    expect(message?.trim().length).toBeGreaterThan(3);
    expect(message).not.toContain('Calling');
    await page.getByTestId('call-close').click();
    await page.getByTestId('call-window').waitFor({ state: 'detached' });

    // Nothing is stuck: a real call rings right after, and can be cancelled.
    await bobButton.click();
    await bob.page.getByTestId('incoming-call').waitFor({ timeout: 15_000 });
    await page.getByTestId('call-cancel').click();
    await bob.page.getByTestId('incoming-call').waitFor({ state: 'detached', timeout: 15_000 });
  });
});
