// Accessibility (issue #16): axe-core over the portal, the incoming-call popup and the 1:1 call
// window, a group call window, the guest lobby and the admin page — no serious or critical
// violations, the report printed for each; and the call controls reached by Tab in order, each
// with a visible focus and an accessible name. One server, one browser.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RoomSummary } from '@parley/protocol';
import { expectNoSeriousViolations } from '../support/axe';
import { type Person } from '../support/calls';
import {
  groupPerson,
  joinFromPrejoin,
  launchChromiumForGroupCalls,
  roomByTitle,
} from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';

const CONTROLS = ['call-mute', 'call-camera', 'call-screen', 'call-hangup'];

interface Focused {
  testid: string | null;
  name: string;
  outline: string;
  shadow: string;
}

/** Presses Tab until the hang-up control has focus; answers what each of CONTROLS showed. */
async function tabToControls(page: Page): Promise<Focused[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen: Focused[] = [];
  for (let i = 0; i < 300 && seen.at(-1)?.testid !== 'call-hangup'; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const style = el ? getComputedStyle(el) : null;
      const name =
        el?.getAttribute('aria-label') ??
        (el?.getAttribute('aria-labelledby')
          ? (document.getElementById(el.getAttribute('aria-labelledby') ?? '')?.textContent ?? '')
          : (el?.textContent ?? ''));
      return {
        testid: el?.getAttribute('data-testid') ?? null,
        name: name.trim(),
        outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : 'none',
        shadow: style?.boxShadow ?? 'none',
      };
    });
    if (focused.testid && CONTROLS.includes(focused.testid)) seen.push(focused);
  }
  return seen;
}

describe('accessibility (axe-core, keyboard)', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: Person;
  let bob: Person;
  let square: RoomSummary;
  const contexts: BrowserContext[] = [];

  const activeWindow = (page: Page) => page.locator('[data-testid="call-window"][data-phase="active"]');

  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromiumForGroupCalls();
    alice = await groupPerson(browser, server.url, 'alice');
    bob = await groupPerson(browser, server.url, 'bob');
    square = await roomByTitle(alice.context, 'Town Square');
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it('the portal home and a room page', async () => {
    await expectNoSeriousViolations(alice.page, 'portal home');
    await alice.page.goto(`/rooms/${square.id}`);
    await alice.page.getByTestId('chat-room').waitFor();
    await expectNoSeriousViolations(alice.page, 'room page');
  }, 60_000);

  it('a 1:1 call: the incoming popup, the call window, and its controls by keyboard', async () => {
    await alice.page.goto(`/people/${bob.user.id}`);
    await alice.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button').click();
    const toast = bob.page.getByTestId('incoming-call');
    await toast.waitFor({ timeout: 15_000 });
    await expectNoSeriousViolations(bob.page, 'incoming-call popup', '[data-testid="incoming-call"]');
    await toast.getByTestId('incoming-call-answer').click();
    await activeWindow(alice.page).waitFor({ timeout: 30_000 });
    await activeWindow(bob.page).waitFor({ timeout: 30_000 });
    await expectNoSeriousViolations(alice.page, '1:1 call window', '[data-testid="call-window"]');

    const reached = await tabToControls(alice.page);
    expect(reached.map((f) => f.testid)).toEqual(CONTROLS);
    for (const focused of reached) {
      expect({ testid: focused.testid, named: focused.name.length > 0 }).toEqual({
        testid: focused.testid,
        named: true,
      });
      const visible = !focused.outline.startsWith('none') || focused.shadow !== 'none';
      expect({ ...focused, visible }).toMatchObject({ visible: true });
    }
    await alice.page.getByTestId('call-hangup').click();
    await alice.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
  }, 120_000);

  it('a group call window and the guest lobby', async () => {
    await alice.page.goto(`/rooms/${square.id}`);
    await alice.page.getByTestId('chat-room').waitFor();
    await alice.page
      .locator('[data-call-slot="room-header"] [data-testid="call-button"]')
      .click({ timeout: 15_000 });
    await alice.page.getByTestId('prejoin-level').waitFor({ timeout: 15_000 });
    await expectNoSeriousViolations(alice.page, 'pre-join check', '[data-testid="call-window"]');
    await joinFromPrejoin(alice.page);
    await activeWindow(alice.page).waitFor({ timeout: 30_000 });
    await expectNoSeriousViolations(alice.page, 'group call window', '[data-testid="call-window"]');

    // A guest link, made the way hosts do it, opened by someone without an account.
    await alice.page.getByTestId('guest-link-create').click({ timeout: 15_000 });
    const url = await alice.page.getByTestId('guest-link-url').inputValue({ timeout: 10_000 });
    const guest = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    contexts.push(guest);
    const page = await guest.newPage();
    await page.goto(new URL(url).pathname);
    await page.getByTestId('guest-name').waitFor({ timeout: 15_000 });
    await expectNoSeriousViolations(page, 'guest page');
    await page.getByTestId('guest-name').fill('Gina Guest');
    await page.getByTestId('guest-join').click();
    await page.getByTestId('guest-waiting').waitFor({ timeout: 20_000 });
    await expectNoSeriousViolations(page, 'guest lobby (waiting)');
    await alice.page.getByTestId('call-hangup').click();
  }, 120_000);

  it('the admin page', async () => {
    const admin = await alice.context.newPage();
    await admin.goto('/admin');
    await admin.getByTestId('admin-tab-guests').waitFor({ timeout: 15_000 });
    await expectNoSeriousViolations(admin, 'admin page');
    await admin.close();
  }, 60_000);
});
