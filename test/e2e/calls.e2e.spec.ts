// One-to-one calls with the built-in WebRTC connector, end to end: real server (mediasoup on
// loopback), two Chromium contexts with fake camera/microphone. Media is checked with getStats
// (inbound-rtp bytes growing) over the peer connections an init script captured (test-only).
import type { Browser } from 'playwright-core';
import { API, type CallHistoryResponse } from '@parley/protocol';
import { launchChromium } from '../support/browser';
import {
  callFromPopover,
  expectMediaFlowing,
  inboundBytes,
  livePeerConnections,
  person,
  secondTab,
  until,
  type Person,
} from '../support/calls';
import { waitForActiveCall } from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';

describe('calls: one-to-one with the built-in WebRTC connector', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    // Short enough for the no-answer test; long enough for a loaded machine to show a ring and
    // answer it, even in a tab that has not loaded the call's connector yet (as a person would).
    server = await startParley({ CALL_RING_TIMEOUT_SECONDS: '20' });
    browser = await launchChromium();
    alice = await person(browser, server.url, 'alice');
    bob = await person(browser, server.url, 'bob');
    // Bob posts, so his chip (and its popover) is on Alice's activity stream.
    const res = await bob.context.request.post(API.posts, { data: { body: `Call me ${Date.now()}` } });
    expect(res.ok()).toBe(true);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    // No call may outlive its test: close whatever window is left on either side.
    for (const who of [alice, bob]) {
      for (const page of who.context.pages()) {
        const hangup = page.getByTestId('call-hangup');
        if (await hangup.isVisible().catch(() => false)) await hangup.click();
        const cancel = page.getByTestId('call-cancel');
        if (await cancel.isVisible().catch(() => false)) await cancel.click();
        await page
          .getByTestId('call-window')
          .waitFor({ state: 'detached', timeout: 10_000 })
          .catch(() => undefined);
      }
    }
  });

  it('A calls B from the popover, B answers, media flows both ways, mute and camera show, hang-up writes history', async () => {
    await callFromPopover(alice.page, bob.user);
    const window = alice.page.getByTestId('call-window');
    await window.waitFor();
    await expect(alice.page.getByTestId('call-status').textContent()).resolves.toContain(
      `Calling ${bob.user.displayName}`,
    );
    await alice.page.getByTestId('call-preview').waitFor();

    const toast = bob.page.getByTestId('incoming-call');
    await toast.waitFor({ timeout: 15_000 });
    expect(await toast.getAttribute('role')).toBe('alertdialog');
    expect(await toast.getAttribute('data-ringing')).toBe('true');
    await expect(toast.getByTestId('incoming-call-title').textContent()).resolves.toContain(
      `${alice.user.displayName} is calling you`,
    );
    await toast.getByTestId('incoming-call-answer').click();
    await toast.waitFor({ state: 'detached' });

    for (const who of [alice, bob]) {
      await waitForActiveCall(who.page, who.user.username);
      await expectMediaFlowing(who.page, 15_000);
    }

    // Alice mutes: Bob's inbound audio stops growing and he sees the indicator.
    await alice.page.getByTestId('call-mute').click();
    await alice.page.locator('[data-testid="call-mute"][aria-pressed="true"]').waitFor();
    await bob.page.getByTestId('remote-muted').waitFor({ timeout: 15_000 });
    await assertStalls(bob, 'audio');
    await alice.page.getByTestId('call-mute').click();
    await bob.page.getByTestId('remote-muted').waitFor({ state: 'detached', timeout: 15_000 });
    await until(
      () => inboundBytes(bob.page),
      growsFrom(await inboundBytes(bob.page), 'audio'),
      10_000,
      'audio back',
    );

    // Camera off likewise.
    await alice.page.getByTestId('call-camera').click();
    await bob.page.getByTestId('remote-camera-off').waitFor({ timeout: 15_000 });
    await assertStalls(bob, 'video');
    await alice.page.getByTestId('call-camera').click();
    await bob.page.getByTestId('remote-camera-off').waitFor({ state: 'detached', timeout: 15_000 });

    // Hang up: both windows show the end, then close; the peer connections are gone.
    await alice.page.waitForTimeout(1_100); // a measurable duration (>= 1 s) for the history
    await alice.page.getByTestId('call-hangup').click();
    await expect(
      bob.page.getByTestId('call-end-message').textContent({ timeout: 15_000 }),
    ).resolves.toContain(`${alice.user.displayName} left`);
    for (const who of [alice, bob]) {
      await who.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 10_000 });
      await until(
        () => livePeerConnections(who.page),
        (n) => n === 0,
        15_000,
        'peer connections closed',
      );
    }

    const history = await until(
      async () =>
        (await (
          await alice.context.request.get(`${API.callHistory}?userId=${bob.user.id}`)
        ).json()) as CallHistoryResponse,
      (h) => h.entries.length > 0 && h.entries[0].call.state === 'ended',
      15_000,
      'history row',
    );
    const latest = history.entries[0];
    expect(latest.call.outcome).toBe('completed');
    expect(latest.direction).toBe('outgoing');
    expect(latest.call.durationSeconds).toBeGreaterThanOrEqual(1);

    // The profile page shows it.
    await alice.page.goto(`/people/${bob.user.id}`);
    const row = alice.page.locator(`[data-testid="call-history-entry"][data-call-id="${latest.call.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-outcome')).toBe('completed');
    await alice.page.goto('/');
  });

  it('decline: the caller sees "<callee> declined the call" and the history says so', async () => {
    await alice.page.goto(`/people/${bob.user.id}`);
    await alice.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button').click();
    const toast = bob.page.getByTestId('incoming-call');
    await toast.waitFor({ timeout: 15_000 });
    await toast.getByTestId('incoming-call-decline').click();
    await expect(
      alice.page.getByTestId('call-end-message').textContent({ timeout: 15_000 }),
    ).resolves.toContain(`${bob.user.displayName} declined the call`);
    await alice.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 10_000 });
    await alice.page
      .locator('[data-testid="call-history-entry"][data-outcome="declined"]')
      .first()
      .waitFor({ timeout: 15_000 });
  });

  it('during a 1:1 call the room composer stays usable, and a screen share reaches the other side', async () => {
    await alice.page.goto(`/people/${bob.user.id}`);
    await alice.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button').click();
    await bob.page.getByTestId('incoming-call-answer').click({ timeout: 15_000 });
    for (const who of [alice, bob]) await waitForActiveCall(who.page, who.user.username);

    // The window stays up while Alice goes to a room and sends a message with the Send button.
    await alice.page.getByTestId('room-link-town-square').click();
    await alice.page.getByTestId('message-list').waitFor();
    const send = alice.page.getByTestId('message-send');
    const [windowBox, sendBox] = await Promise.all([
      alice.page.getByTestId('call-window').boundingBox(),
      send.boundingBox(),
    ]);
    expect(windowBox && sendBox).toBeTruthy();
    if (windowBox && sendBox) expect(windowBox.y + windowBox.height).toBeLessThanOrEqual(sendBox.y);
    const text = `Sent during a call ${Date.now()}`;
    await alice.page.getByTestId('message-input').fill(text);
    await send.click({ timeout: 10_000 }); // fails when something covers the button
    await alice.page.getByTestId('message').filter({ hasText: text }).waitFor({ timeout: 15_000 });
    expect(await alice.page.getByTestId('call-window').getAttribute('data-phase')).toBe('active');

    // Screen share in the one-to-one call: Bob sees Alice's screen large, then it goes away.
    await alice.page.getByTestId('call-screen').click();
    await alice.page.locator('[data-testid="call-screen"][aria-pressed="true"]').waitFor({ timeout: 15_000 });
    const screen = bob.page.getByTestId('remote-screen');
    await screen.waitFor({ timeout: 15_000 });
    await until(
      () => screen.evaluate((video) => (video as HTMLVideoElement).videoWidth),
      (width) => width > 0,
      20_000,
      'screen frames at Bob',
    );
    await alice.page.getByTestId('call-screen').click();
    await alice.page
      .locator('[data-testid="call-screen"][aria-pressed="false"]')
      .waitFor({ timeout: 15_000 });
    await screen.waitFor({ state: 'detached', timeout: 15_000 });
    await alice.page.getByTestId('call-hangup').click();
    await bob.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
    await alice.page.goto('/');
  }, 120_000);

  it('no answer: the ring times out, the caller sees "no answer", the callee gets a missed-call notice', async () => {
    await alice.page.goto(`/people/${bob.user.id}`);
    await alice.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button').click();
    await bob.page.getByTestId('incoming-call').waitFor({ timeout: 15_000 });
    await expect(
      alice.page.getByTestId('call-end-message').textContent({ timeout: 40_000 }),
    ).resolves.toContain(`${bob.user.displayName} did not answer`);
    await bob.page.getByTestId('incoming-call').waitFor({ state: 'detached', timeout: 15_000 });
    const notice = bob.page.getByTestId('missed-call');
    await notice.waitFor({ timeout: 15_000 });
    await notice.getByTestId('missed-call-dismiss').click();
  }, 90_000);

  it('cancel before answer stops the ringing on the callee side', async () => {
    await alice.page.goto(`/people/${bob.user.id}`);
    await alice.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button').click();
    await bob.page.getByTestId('incoming-call').waitFor({ timeout: 15_000 });
    await alice.page.getByTestId('call-cancel').click();
    await bob.page.getByTestId('incoming-call').waitFor({ state: 'detached', timeout: 15_000 });
    await alice.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 10_000 });
    await alice.page
      .locator('[data-testid="call-history-entry"][data-outcome="cancelled"]')
      .first()
      .waitFor({ timeout: 15_000 });
  });

  // A call set-up plus a new tab: more than jest's 60 s on a loaded 2-core machine.
  it('two tabs of B both ring; answering in one stops the other', async () => {
    const bobTab2 = await secondTab(bob);
    await alice.page.goto(`/people/${bob.user.id}`);
    await alice.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button').click();
    await bob.page.getByTestId('incoming-call').waitFor({ timeout: 15_000 });
    await bobTab2.getByTestId('incoming-call').waitFor({ timeout: 15_000 });
    expect(await bobTab2.getByTestId('incoming-call').getAttribute('data-ringing')).toBe('true');
    await bobTab2.getByTestId('incoming-call-answer').click();
    await bob.page.getByTestId('incoming-call').waitFor({ state: 'detached', timeout: 15_000 });
    await waitForActiveCall(bobTab2, 'bob (second tab)');
    expect(await bob.page.getByTestId('call-window').count()).toBe(0);
    await alice.page.getByTestId('call-hangup').click();
    await bobTab2.getByTestId('call-window').waitFor({ state: 'detached', timeout: 10_000 });
    await bobTab2.close();
  }, 120_000);

  // A call set-up plus a new person signing in: more than jest's 60 s on a loaded 2-core machine.
  it('busy: calling someone who is in a call says "busy"', async () => {
    const carol = await person(browser, server.url, 'carol');
    await alice.page.goto(`/people/${bob.user.id}`);
    await alice.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button').click();
    await bob.page.getByTestId('incoming-call-answer').click();
    await waitForActiveCall(alice.page, alice.user.username);

    await carol.page.goto(`/people/${bob.user.id}`);
    await carol.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button').click();
    await expect(
      carol.page.getByTestId('call-end-message').textContent({ timeout: 15_000 }),
    ).resolves.toContain(`${bob.user.displayName} is busy`);
    await bob.page.getByTestId('call-hangup').click();
    await alice.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 10_000 });
    await carol.context.close();
  }, 120_000);

  it('dnd: the call does not ring, the caller hears "no answer", the callee finds a missed-call notice', async () => {
    await bob.page.getByTestId('presence-menu').click();
    await bob.page.getByTestId('presence-option-dnd').click();
    await alice.page.goto(`/people/${bob.user.id}`);
    await alice.page.waitForSelector(`[data-testid="presence-${bob.user.id}"][data-presence="dnd"]`);
    await alice.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button').click();
    await alice.page.getByTestId('call-end-message').waitFor({ timeout: 15_000 });
    expect(await bob.page.getByTestId('incoming-call').count()).toBe(0);
    await bob.page.getByTestId('missed-call').waitFor({ timeout: 15_000 });
    await bob.page.getByTestId('missed-call-dismiss').click();
    await bob.page.getByTestId('presence-menu').click();
    await bob.page.getByTestId('presence-option-available').click();
  });

  it('an offline callee gives a disabled button with a tooltip', async () => {
    // Dave never signed in: offline.
    const users = (await (await alice.context.request.get(API.users)).json()) as {
      id: string;
      presence: string;
    }[];
    const offline = users.find((u) => u.presence === 'offline' && u.id !== alice.user.id);
    expect(offline).toBeDefined();
    await alice.page.goto(`/people/${offline?.id}`);
    const button = alice.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button');
    await button.waitFor();
    expect(await button.isDisabled()).toBe(true);
    expect(await button.getAttribute('title')).toContain('is offline');
  });

  async function assertStalls(who: Person, kind: 'audio' | 'video'): Promise<void> {
    // Let in-flight packets drain, then the counter must stay flat for a while.
    await who.page.waitForTimeout(800);
    const before = (await inboundBytes(who.page))[kind];
    await who.page.waitForTimeout(1_500);
    const after = (await inboundBytes(who.page))[kind];
    expect(after - before).toBeLessThan(kind === 'audio' ? 400 : 2_000);
  }
});

function growsFrom(start: { audio: number; video: number }, kind: 'audio' | 'video') {
  return (now: { audio: number; video: number }) => now[kind] > start[kind] + 1_000;
}
