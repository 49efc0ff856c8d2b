// Call quality (issue #16): three people in a room call; bob's uplink is throttled (HTB on the
// namespace's loopback: his browser's UDP ports squeezed to a few kbit/s, so the media server
// loses most of what he sends). Within 10 s the others' tiles show bob's connection "poor" and
// bob is told his connection is poor; lifted, it recovers. The admin's Calls tab lists the live
// call with its participants, their bitrates, direct or relay, and the `/call stats` detail.
import type { Browser, Page } from 'playwright-core';
import type { RoomSummary } from '@parley/protocol';
import { selectedCandidatePairs, until, type Person } from '../support/calls';
import {
  expectMediaFrom,
  groupPerson,
  joinFromPrejoin,
  launchChromiumForGroupCalls,
  roomByTitle,
} from '../support/group-calls';
import { throttleUplink, type ThrottledUplink } from '../support/link-shaper';
import { startParley, type TestServer } from '../support/parley-server';

describe('call quality: tile indicators, the uplink notice, the admins’ Calls tab', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let square: RoomSummary;
  let shaper: ThrottledUplink | null = null;

  const activeWindow = (page: Page) => page.locator('[data-testid="call-window"][data-phase="active"]');
  const qualityOf = (page: Page, who: Person) =>
    page.locator(
      `[data-testid="participant-tile"][data-user-id="${who.user.id}"] [data-testid="tile-quality"]`,
    );

  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromiumForGroupCalls();
    alice = await groupPerson(browser, server.url, 'alice');
    bob = await groupPerson(browser, server.url, 'bob');
    carol = await groupPerson(browser, server.url, 'carol');
    square = await roomByTitle(alice.context, 'Town Square');
  }, 120_000);

  afterAll(async () => {
    await shaper?.lift().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it('a throttled uplink shows "poor" on the others’ tiles within 10 s and tells its owner; lifted, it recovers', async () => {
    await alice.page.goto(`/rooms/${square.id}`);
    await alice.page
      .locator('[data-call-slot="room-header"] [data-testid="call-button"]')
      .click({ timeout: 15_000 });
    await joinFromPrejoin(alice.page);
    await activeWindow(alice.page).waitFor({ timeout: 30_000 });
    for (const who of [bob, carol]) {
      await who.page.goto(`/rooms/${square.id}`);
      await who.page.getByTestId('call-banner-join').click({ timeout: 15_000 });
      await joinFromPrejoin(who.page);
      await activeWindow(who.page).waitFor({ timeout: 30_000 });
    }
    const everyone = [alice, bob, carol];
    await Promise.all(
      everyone.map((who) =>
        expectMediaFrom(
          who.page,
          everyone.filter((o) => o !== who).map((o) => o.user.id),
          ['audio'],
          60_000,
        ),
      ),
    );
    // Unimpaired, the indicators appear and nobody is "poor".
    for (const who of [alice, carol]) {
      await qualityOf(who.page, bob).waitFor({ timeout: 20_000 });
      await expect(qualityOf(who.page, bob).getAttribute('data-quality')).resolves.not.toBe('poor');
    }
    await expect(bob.page.getByTestId('uplink-poor').count()).resolves.toBe(0);

    const ports = (await selectedCandidatePairs(bob.page)).map((pair) => pair.localPort);
    expect(ports.length).toBeGreaterThanOrEqual(2); // his send and receive transports
    shaper = await throttleUplink(ports);
    // The acceptance bound: "poor" on the others' tiles within 10 s of the link going bad.
    await Promise.all(
      [alice, carol].map((who) =>
        who.page
          .locator(
            `[data-testid="participant-tile"][data-user-id="${bob.user.id}"] [data-testid="tile-quality"][data-quality="poor"]`,
          )
          .waitFor({ timeout: 10_000 }),
      ),
    );
    await expect(qualityOf(alice.page, bob).getAttribute('aria-label')).resolves.toBe('Connection: poor');
    // Bob learns it from the media server's receiver reports.
    await bob.page.getByTestId('uplink-poor').waitFor({ timeout: 15_000 });
    // Carol's link is fine: alice does not see her as poor.
    await expect(qualityOf(alice.page, carol).getAttribute('data-quality')).resolves.not.toBe('poor');

    await shaper.lift();
    shaper = null;
    await until(
      () => qualityOf(alice.page, bob).getAttribute('data-quality'),
      (level) => level !== 'poor',
      30_000,
      'bob recovers on alice’s tile once the link is lifted',
    );
    await bob.page.getByTestId('uplink-poor').waitFor({ state: 'detached', timeout: 30_000 });
  }, 240_000);

  it('the admins’ Calls tab lists the call, its participants with media figures, and the stats detail', async () => {
    const admin = await alice.context.newPage();
    await admin.goto('/admin');
    await admin.getByTestId('admin-tab-calls').click();
    const call = admin.getByTestId('live-call');
    await call.waitFor({ timeout: 15_000 });
    await expect(call.count()).resolves.toBe(1);
    const rows = call.getByTestId('live-call-participant');
    await until(
      () => rows.count(),
      (n) => n === 3,
      15_000,
      'three participants in the Calls tab',
    );
    const bobRow = call.locator(`[data-testid="live-call-participant"][data-user-id="${bob.user.id}"]`);
    // Figures arrive from the media server; the browser tells direct or relay (host candidates here).
    await until(
      () => bobRow.getByTestId('participant-connection').getAttribute('data-connection'),
      (connection) => connection === 'direct',
      20_000,
      'bob: direct',
    );
    await until(
      () => bobRow.getByTestId('participant-send').textContent(),
      (text) => /\d/.test(text ?? ''),
      20_000,
      'bob: a send bitrate',
    );
    await bobRow.getByTestId('participant-details').click();
    const detail = admin.getByTestId('participant-stats');
    await detail.waitFor({ timeout: 15_000 });
    await expect(detail.textContent()).resolves.toContain('webrtc-transport');
    await admin.close();
  }, 120_000);
});
