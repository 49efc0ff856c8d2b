// Group calls in rooms with the built-in WebRTC connector (mediasoup SFU), end to end: one
// Chromium, four signed-in contexts with fake camera/microphone in "Town Square". Media is checked
// per remote track with getStats (each participant receives audio and video from the three
// others, bytes growing). Also: hands and reactions seen by all, host controls (mute all, remove,
// end for all), screen share (and the admins' switch), the permanent link (members only), the
// participant limit, and a socket drop mid-call that recovers.
import type { Browser, Page } from 'playwright-core';
import { API, type AdminProvidersResponse, type RoomSummary } from '@parley/protocol';
import { connected, until, type Person } from '../support/calls';
import {
  dropSockets,
  expectMediaFrom,
  groupPerson,
  joinFromPrejoin,
  launchChromiumForGroupCalls,
  roomByTitle,
} from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';

const MAX = 4;

describe('group calls in rooms (built-in WebRTC, mediasoup)', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let dave: Person;
  let square: RoomSummary;

  const callWindow = (page: Page) => page.getByTestId('call-window');
  const activeWindow = (page: Page) => page.locator('[data-testid="call-window"][data-phase="active"]');
  const row = (page: Page, who: Person) =>
    page.locator(`[data-testid="call-participant"][data-user-id="${who.user.id}"]`);

  async function openRoom(who: Person, room: RoomSummary): Promise<void> {
    await who.page.goto(`/rooms/${room.id}`);
    await who.page.getByTestId('chat-room').waitFor();
  }

  async function joinFromBanner(who: Person): Promise<void> {
    await openRoom(who, square);
    await who.page.getByTestId('call-banner-join').click({ timeout: 15_000 });
    await joinFromPrejoin(who.page);
    await activeWindow(who.page).waitFor({ timeout: 30_000 });
  }

  beforeAll(async () => {
    server = await startParley({ CALL_MAX_PARTICIPANTS: String(MAX), CALL_RECONNECT_GRACE_SECONDS: '20' });
    browser = await launchChromiumForGroupCalls();
    alice = await groupPerson(browser, server.url, 'alice');
    bob = await groupPerson(browser, server.url, 'bob');
    carol = await groupPerson(browser, server.url, 'carol');
    dave = await groupPerson(browser, server.url, 'dave');
    square = await roomByTitle(alice.context, 'Town Square');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('four members: start from the room header, the others join from the banner, everyone receives audio and video from the three others', async () => {
    await openRoom(alice, square);
    const start = alice.page.locator('[data-call-slot="room-header"] [data-testid="call-button"]');
    await start.click({ timeout: 15_000 });
    await joinFromPrejoin(alice.page);
    await activeWindow(alice.page).waitFor({ timeout: 30_000 });

    // The banner shows on a member's page with the live call (avatars, duration, Join).
    await openRoom(bob, square);
    const banner = bob.page.getByTestId('call-banner');
    await banner.waitFor({ timeout: 10_000 });
    await bob.page.locator(`[data-testid="call-banner-avatar"][data-user-id="${alice.user.id}"]`).waitFor();
    await expect(bob.page.getByTestId('call-banner-duration').textContent()).resolves.toMatch(/\d\d:\d\d/);

    for (const who of [bob, carol, dave]) await joinFromBanner(who);

    for (const who of [alice, bob, carol, dave]) {
      await until(
        () => who.page.locator('[data-testid="participant-tile"]').count(),
        (n) => n === 4,
        20_000,
        `${who.user.username}: four tiles`,
      );
      await who.page.locator('[data-testid="call-participant"]').nth(3).waitFor();
    }
    // Each receives audio and video from each of the three others (generous: four contexts, two cores).
    const everyone = [alice, bob, carol, dave];
    await Promise.all(
      everyone.map((who) =>
        expectMediaFrom(
          who.page,
          everyone.filter((o) => o !== who).map((o) => o.user.id),
          ['audio', 'video'],
          60_000,
        ),
      ),
    );
    // The starter is the host.
    await row(bob.page, alice).locator('[data-testid="participant-host"]').waitFor();
    await expect(bob.page.getByTestId('call-banner-count').textContent()).resolves.toBe('4');
  }, 240_000);

  it('a raised hand and a reaction are seen by the others', async () => {
    await bob.page.getByTestId('call-hand').click();
    await bob.page.locator('[data-testid="call-hand"][aria-pressed="true"]').waitFor();
    for (const who of [alice, carol, dave]) {
      await row(who.page, bob).and(who.page.locator('[data-hand="true"]')).waitFor({ timeout: 10_000 });
    }
    await carol.page.getByTestId('call-react').click();
    await carol.page.locator('[data-testid="call-reaction-option"][data-emoji="🎉"]').click();
    for (const who of [alice, bob, dave]) {
      await who.page
        .locator(`[data-testid="call-reaction"][data-user-id="${carol.user.id}"][data-emoji="🎉"]`)
        .waitFor({ timeout: 10_000 });
    }
    // The host lowers Bob's hand from the participant menu.
    await row(alice.page, bob).getByTestId('participant-actions').click();
    await row(alice.page, bob).getByTestId('participant-lower-hand').click();
    await bob.page.locator('[data-testid="call-hand"][aria-pressed="false"]').waitFor({ timeout: 10_000 });
  }, 60_000);

  it('host "mute all" leaves the others muted', async () => {
    await alice.page.getByTestId('call-mute-all').click();
    for (const who of [bob, carol, dave]) {
      await who.page.locator('[data-testid="call-mute"][aria-pressed="true"]').waitFor({ timeout: 10_000 });
      await row(alice.page, who).and(alice.page.locator('[data-muted="true"]')).waitFor({ timeout: 10_000 });
    }
    await alice.page.locator('[data-testid="call-mute"][aria-pressed="false"]').waitFor();
    // Unmuting is up to each user; their audio reaches the host again.
    for (const who of [bob, carol, dave]) {
      await who.page.getByTestId('call-mute').click();
      await row(alice.page, who).and(alice.page.locator('[data-muted="false"]')).waitFor({ timeout: 10_000 });
    }
    await expectMediaFrom(alice.page, [bob.user.id, carol.user.id, dave.user.id], ['audio'], 30_000);
  }, 60_000);

  it('the call is full at the limit (a clear message), a non-member with the link is refused', async () => {
    const erin = await groupPerson(browser, server.url, 'erin');
    try {
      await erin.page.goto(`/rooms/${square.id}/call`);
      await joinFromPrejoin(erin.page);
      await expect(
        erin.page.getByTestId('call-end-message').textContent({ timeout: 20_000 }),
      ).resolves.toMatch(/full/i);
    } finally {
      await erin.context.close();
    }
    // Frank is not in "Design": its link refuses him, no call window opens.
    const design = await roomByTitle(bob.context, 'Design');
    const frank = await groupPerson(browser, server.url, 'frank');
    try {
      await frank.page.goto(`/rooms/${design.id}/call`);
      const refused = frank.page.getByTestId('call-link-error');
      await expect(refused.textContent({ timeout: 10_000 })).resolves.toMatch(/not a member/i);
      await expect(callWindow(frank.page).count()).resolves.toBe(0);
      // The REST route says so too.
      expect((await frank.context.request.get(API.roomCall(design.id))).status()).toBe(403);
    } finally {
      await frank.context.close();
    }
  }, 120_000);

  it('a socket drop mid-call: the others see "reconnecting", then it recovers and media flows again', async () => {
    // Dave's tab loses its socket and the network stays down: Dave's window says "Reconnecting…",
    // the others see him reconnecting; when the network is back socket.io reconnects by itself,
    // he rejoins and media flows again both ways.
    const outage = await dropSockets(dave.page);
    expect(outage.closed).toBeGreaterThan(0);
    await dave.page.getByTestId('call-reconnecting').waitFor({ timeout: 15_000 });
    await row(alice.page, dave)
      .and(alice.page.locator('[data-reconnecting="true"]'))
      .waitFor({ timeout: 15_000 });
    await outage.restore();
    const started = Date.now();
    await row(alice.page, dave)
      .and(alice.page.locator('[data-reconnecting="false"]'))
      .waitFor({ timeout: 20_000 });
    await dave.page.getByTestId('call-reconnecting').waitFor({ state: 'detached', timeout: 15_000 });
    await expectMediaFrom(dave.page, [alice.user.id, bob.user.id, carol.user.id], ['audio', 'video'], 30_000);
    await expect(activeWindow(dave.page).count()).resolves.toBe(1);
    // The others receive Dave again.
    await expectMediaFrom(carol.page, [dave.user.id], ['audio', 'video'], 30_000);
    console.log(`[group e2e] socket drop: network back -> media again in ${Date.now() - started} ms`);
  }, 90_000);

  it('screen share reaches the others; when the admins turn it off the button is gone and the server refuses', async () => {
    await bob.page.getByTestId('call-screen').click();
    await bob.page.locator('[data-testid="call-screen"][aria-pressed="true"]').waitFor({ timeout: 15_000 });
    for (const who of [alice, carol]) {
      await who.page
        .locator(`[data-testid="screen-tile"][data-user-id="${bob.user.id}"]`)
        .waitFor({ timeout: 15_000 });
    }
    await expectMediaFrom(alice.page, [`${bob.user.id}:screen`, bob.user.id], ['video'], 30_000);
    await bob.page.getByTestId('call-screen').click();
    await alice.page
      .locator(`[data-testid="screen-tile"][data-user-id="${bob.user.id}"]`)
      .waitFor({ state: 'detached', timeout: 15_000 });

    // Admin switch off.
    const { providers } = (await (
      await alice.context.request.get(API.adminProviders)
    ).json()) as AdminProvidersResponse;
    const webrtc = providers.find((p) => p.type === 'webrtc');
    const settings = { ...(webrtc?.settings ?? {}), screenShareAllowed: false };
    const res = await alice.context.request.put(API.adminProvider('webrtc'), { data: { settings } });
    expect(res.status()).toBe(200);
    try {
      // Dave leaves and joins again: no screen share button any more.
      await dave.page.getByTestId('call-hangup').click();
      await callWindow(dave.page).waitFor({ state: 'detached', timeout: 15_000 });
      await joinFromBanner(dave);
      await dave.page.getByTestId('call-hand').waitFor();
      await expect(dave.page.getByTestId('call-screen').count()).resolves.toBe(0);
      // Carol joined while it was allowed (her button is still there): the server refuses her share.
      await carol.page.getByTestId('call-screen').click();
      await carol.page.getByTestId('call-notice').waitFor({ timeout: 15_000 });
      await expect(
        carol.page.locator('[data-testid="call-screen"][aria-pressed="true"]').count(),
      ).resolves.toBe(0);
      await expect(
        alice.page.locator(`[data-testid="screen-tile"][data-user-id="${carol.user.id}"]`).count(),
      ).resolves.toBe(0);
    } finally {
      const back = await alice.context.request.put(API.adminProvider('webrtc'), {
        data: { settings: { ...settings, screenShareAllowed: true } },
      });
      expect(back.status()).toBe(200);
    }
  }, 120_000);

  it('the host removes one participant, then ends the call for everyone', async () => {
    await row(alice.page, carol).getByTestId('participant-actions').click();
    await row(alice.page, carol).getByTestId('participant-remove').click();
    await expect(
      carol.page.getByTestId('call-end-message').textContent({ timeout: 10_000 }),
    ).resolves.toMatch(/removed/i);
    await row(alice.page, carol).waitFor({ state: 'detached', timeout: 10_000 });

    await alice.page.getByTestId('call-end-all').click();
    // Everyone's window closes (after the end message) and the banner goes away.
    for (const who of [alice, bob, dave]) {
      await callWindow(who.page).waitFor({ state: 'detached', timeout: 30_000 });
    }
    await bob.page.getByTestId('call-banner').waitFor({ state: 'detached', timeout: 10_000 });
  }, 60_000);

  it('/call start in the composer opens the call; /call link posts the permanent link, which joins', async () => {
    await openRoom(bob, square);
    const input = bob.page.getByTestId('message-input');
    await input.fill('/call start Retro');
    await input.press('Enter');
    await joinFromPrejoin(bob.page);
    await activeWindow(bob.page).waitFor({ timeout: 30_000 });
    await openRoom(carol, square);
    await expect(carol.page.getByTestId('call-banner').textContent({ timeout: 10_000 })).resolves.toContain(
      'Retro',
    );

    await input.fill('/call link');
    await input.press('Enter');
    const link = carol.page.locator(`[data-testid="message-link"][href$="/rooms/${square.id}/call"]`).last();
    await link.click({ timeout: 10_000 });
    await joinFromPrejoin(carol.page);
    await activeWindow(carol.page).waitFor({ timeout: 30_000 });
    await expectMediaFrom(carol.page, [bob.user.id], ['audio', 'video'], 30_000);

    for (const who of [carol, bob]) {
      await who.page.getByTestId('call-hangup').click();
      await callWindow(who.page).waitFor({ state: 'detached', timeout: 15_000 });
    }
    await carol.page.getByTestId('call-banner').waitFor({ state: 'detached', timeout: 10_000 });
  }, 90_000);

  it('a call started in a group message rings the other members with a Join toast', async () => {
    const group = await roomByTitle(carol.context, 'Carol, Dave, Frank');
    await openRoom(carol, group);
    await dave.page.goto('/');
    await connected(dave.page);
    await carol.page.locator('[data-call-slot="room-header"] [data-testid="call-button"]').click();
    await joinFromPrejoin(carol.page);
    await activeWindow(carol.page).waitFor({ timeout: 30_000 });
    const toast = dave.page.locator(`[data-testid="group-call-ring"][data-room-id="${group.id}"]`);
    await expect(
      toast.getByTestId('group-call-ring-title').textContent({ timeout: 10_000 }),
    ).resolves.toContain(carol.user.displayName);
    await toast.getByTestId('group-call-ring-join').click();
    await joinFromPrejoin(dave.page);
    await activeWindow(dave.page).waitFor({ timeout: 30_000 });
    await expectMediaFrom(dave.page, [carol.user.id], ['audio', 'video'], 30_000);
    for (const who of [dave, carol]) {
      await who.page.getByTestId('call-hangup').click();
      await callWindow(who.page).waitFor({ state: 'detached', timeout: 15_000 });
    }
  }, 90_000);
});
