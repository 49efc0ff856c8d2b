// Camera/microphone trouble with the built-in WebRTC connector, end to end.
// - Permission denied: a second Chromium launched WITHOUT `--use-fake-ui-for-media-stream` (headless,
//   no prompt can be accepted) and a context granted no permission: getUserMedia really rejects.
// - Device unplugged mid-call: an init script keeps the streams getUserMedia returns; the test stops
//   the local camera track and fires its `ended` event (a track stopped by the page fires none;
//   an unplugged device does).
import { chromium, type Browser } from 'playwright-core';
import { API, type CallHistoryResponse } from '@parley/protocol';
import { CHROMIUM_ARGS, chromiumExecutable, launchChromium } from '../support/browser';
import {
  callFromPopover,
  expectMediaFlowing,
  inboundBytes,
  livePeerConnections,
  person,
  until,
  type Person,
} from '../support/calls';
import { waitForActiveCall } from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';

/** Test-only: remembers every stream getUserMedia returned (window.__parleyStreams). */
const CAPTURE_STREAMS = `(() => {
  const md = navigator.mediaDevices;
  if (!md || window.__parleyStreams) return;
  const list = [];
  Object.defineProperty(window, '__parleyStreams', { value: list });
  const native = md.getUserMedia.bind(md);
  md.getUserMedia = async (constraints) => {
    const stream = await native(constraints);
    list.push(stream);
    return stream;
  };
})();`;

describe('calls: camera and microphone trouble', () => {
  let server: TestServer;
  let browser: Browser;
  let denyingBrowser: Browser;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
    denyingBrowser = await chromium.launch({
      executablePath: chromiumExecutable(),
      headless: true,
      args: CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-ui-for-media-stream'),
    });
    alice = await person(browser, server.url, 'alice');
    bob = await person(browser, server.url, 'bob');
    await alice.context.addInitScript(CAPTURE_STREAMS);
    await alice.page.reload();
    await alice.page.getByTestId('presence-menu').waitFor();
    const res = await bob.context.request.post(API.posts, { data: { body: `Devices ${Date.now()}` } });
    expect(res.ok()).toBe(true);
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), denyingBrowser?.close()]);
    await server?.stop();
  });

  /** A person in the denying browser; `microphone`: only the microphone is allowed (the camera stays blocked). */
  async function denied(username: string, microphone = false): Promise<Person> {
    const who = await person(denyingBrowser, server.url, username);
    await who.context.clearPermissions();
    if (microphone) await who.context.grantPermissions(['microphone']);
    const state = await who.page.evaluate(async () => {
      try {
        await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
        return 'granted';
      } catch (err) {
        return (err as Error).name;
      }
    });
    // The precondition: this browser really refuses camera and microphone together.
    expect(state).toBe('NotAllowedError');
    return who;
  }

  async function historyWith(who: Person, other: Person): Promise<CallHistoryResponse> {
    return (await (
      await who.context.request.get(`${API.callHistory}?userId=${other.user.id}`)
    ).json()) as CallHistoryResponse;
  }

  it('a blocked caller is told before anything rings; the message stays until closed; no call is placed', async () => {
    const carol = await denied('carol');
    try {
      await callFromPopover(carol.page, bob.user);
      const blocked = carol.page.getByTestId('call-blocked');
      await blocked.waitFor({ timeout: 15_000 });
      expect(await blocked.getByTestId('call-blocked-message').textContent()).toContain(
        'Camera and microphone access is blocked',
      );
      // The microphone is blocked too: receive-only is offered, audio-only is not.
      await blocked.getByTestId('call-receive-only').waitFor();
      expect(await blocked.getByTestId('call-audio-only').count()).toBe(0);
      // Nothing was placed: the server has no call between them (so Bob never rang).
      expect((await historyWith(carol, bob)).entries).toHaveLength(0);
      expect(await bob.page.getByTestId('incoming-call').count()).toBe(0);
      await blocked.getByTestId('call-blocked-close').click();
      await carol.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 10_000 });
      expect(await livePeerConnections(carol.page)).toBe(0);
      expect((await historyWith(carol, bob)).entries).toHaveLength(0);
    } finally {
      await carol.context.close();
    }
  });

  it('camera blocked, microphone allowed: the caller calls with audio only and is heard', async () => {
    const erin = await denied('erin', true);
    try {
      await callFromPopover(erin.page, bob.user);
      const blocked = erin.page.getByTestId('call-blocked');
      await blocked.waitFor({ timeout: 15_000 });
      await blocked.getByTestId('call-audio-only').click();
      const toast = bob.page.getByTestId('incoming-call');
      await toast.waitFor({ timeout: 15_000 });
      await toast.getByTestId('incoming-call-answer').click();
      await waitForActiveCall(erin.page, 'erin');
      await waitForActiveCall(bob.page, 'bob');
      expect(await erin.page.getByTestId('call-camera').isDisabled()).toBe(true);
      await bob.page.getByTestId('remote-camera-off').waitFor({ timeout: 15_000 });
      const start = await inboundBytes(bob.page);
      await until(
        () => inboundBytes(bob.page),
        (now) => now.audio > start.audio + 1_000,
        20_000,
        "Erin's audio at Bob",
      );
      await bob.page.getByTestId('call-hangup').click();
      await erin.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
    } finally {
      await erin.context.close();
    }
  }, 90_000);

  it('a blocked callee keeps the ring while choosing; Close ends it "failed: no camera/microphone access"', async () => {
    const dave = await denied('dave');
    try {
      await alice.page.goto(`/people/${dave.user.id}`);
      const button = alice.page.locator('[data-call-slot="profile-header"]').getByTestId('call-button');
      await alice.page.waitForSelector(
        `[data-testid="presence-${dave.user.id}"][data-presence="available"]`,
        {
          timeout: 10_000,
        },
      );
      await button.click();
      const toast = dave.page.getByTestId('incoming-call');
      await toast.waitFor({ timeout: 10_000 });
      await toast.getByTestId('incoming-call-answer').click();
      const blocked = dave.page.getByTestId('call-blocked');
      await blocked.waitFor({ timeout: 15_000 });
      expect(await blocked.textContent()).toContain('Camera and microphone access is blocked');
      await blocked.getByTestId('call-receive-only').waitFor();
      // Alice still rings: nothing was declined.
      expect(await alice.page.getByTestId('call-window').getAttribute('data-phase')).toBe('ringing');
      await blocked.getByTestId('call-blocked-close').click();
      await expect(
        alice.page.getByTestId('call-end-message').textContent({ timeout: 15_000 }),
      ).resolves.toContain(`${dave.user.displayName} could not answer: no camera/microphone access`);
      for (const page of [alice.page, dave.page]) {
        await page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
        expect(await livePeerConnections(page)).toBe(0);
      }
      const history = await until(
        () => historyWith(alice, dave),
        (h) => h.entries.length > 0 && h.entries[0].call.state === 'ended',
        10_000,
        'history row',
      );
      expect(history.entries[0].call.outcome).toBe('failed');
      expect(history.entries[0].call.endReason).toBe('call failed: no camera/microphone access');
      // The history list says why.
      const row = alice.page.locator(
        `[data-testid="call-history-entry"][data-call-id="${history.entries[0].call.id}"]`,
      );
      await expect(row.locator('.outcome').textContent({ timeout: 15_000 })).resolves.toContain(
        'Failed: no camera/microphone access',
      );
    } finally {
      await dave.context.close();
    }
  });

  it('a camera unplugged mid-call is reported; the call goes on and the other side sees the camera off', async () => {
    await alice.page.goto('/');
    await callFromPopover(alice.page, bob.user);
    await bob.page.getByTestId('incoming-call').waitFor({ timeout: 10_000 });
    await bob.page.getByTestId('incoming-call-answer').click();
    for (const who of [alice, bob]) {
      await waitForActiveCall(who.page, who.user.username);
      await expectMediaFlowing(who.page, 30_000);
    }

    const unplugged = await alice.page.evaluate(() => {
      const streams = (window as unknown as { __parleyStreams?: MediaStream[] }).__parleyStreams ?? [];
      const track = streams.flatMap((s) => s.getVideoTracks()).find((t) => t.readyState === 'live');
      if (!track) return false;
      track.stop();
      track.dispatchEvent(new Event('ended'));
      return true;
    });
    expect(unplugged).toBe(true);

    const notice = alice.page.getByTestId('call-notice');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toContain('Your camera stopped working (was it unplugged?)');
    await alice.page.locator('[data-testid="call-camera"][aria-pressed="true"]').waitFor({ timeout: 10_000 });
    await bob.page.getByTestId('remote-camera-off').waitFor({ timeout: 10_000 });
    // The call goes on: still active, Alice's audio still reaches Bob.
    expect(await alice.page.getByTestId('call-window').getAttribute('data-phase')).toBe('active');
    const start = await inboundBytes(bob.page);
    await until(
      () => inboundBytes(bob.page),
      (now) => now.audio > start.audio + 1_000,
      15_000,
      'audio still flowing',
    );

    await alice.page.getByTestId('call-hangup').click();
    for (const who of [alice, bob]) {
      await who.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
    }
  });
});
