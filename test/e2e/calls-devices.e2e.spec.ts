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

  async function denied(username: string): Promise<Person> {
    const who = await person(denyingBrowser, server.url, username);
    await who.context.clearPermissions();
    const state = await who.page.evaluate(async () => {
      try {
        await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
        return 'granted';
      } catch (err) {
        return (err as Error).name;
      }
    });
    // The precondition: this browser really refuses camera and microphone.
    expect(state).toBe('NotAllowedError');
    return who;
  }

  it('a caller who denies camera/mic gets a clear message; the call ends cleanly (cancelled, no ring left)', async () => {
    const carol = await denied('carol');
    try {
      await callFromPopover(carol.page, bob.user);
      const message = carol.page.getByTestId('call-end-message');
      await message.waitFor({ timeout: 15_000 });
      expect(await message.textContent()).toContain('Camera and microphone access is blocked');
      await carol.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
      expect(await livePeerConnections(carol.page)).toBe(0);
      // The call the server had started is cancelled: nothing keeps ringing at Bob's.
      await bob.page.getByTestId('incoming-call').waitFor({ state: 'detached', timeout: 10_000 });
      const history = await until(
        async () =>
          (await (
            await carol.context.request.get(`${API.callHistory}?userId=${bob.user.id}`)
          ).json()) as CallHistoryResponse,
        (h) => h.entries.length > 0 && h.entries[0].call.state === 'ended',
        10_000,
        'history row',
      );
      expect(history.entries[0].call.outcome).toBe('cancelled');
    } finally {
      await carol.context.close();
    }
  });

  it('a callee who denies camera/mic gets a clear message; the caller hears "declined"', async () => {
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
      // Both end messages show only for a few seconds: wait for them together.
      const [callee, caller] = await Promise.all(
        [dave.page, alice.page].map((page) =>
          page.getByTestId('call-end-message').textContent({ timeout: 15_000 }),
        ),
      );
      expect(callee).toContain('Camera and microphone access is blocked');
      expect(caller).toContain('declined');
      for (const page of [alice.page, dave.page]) {
        await page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
        expect(await livePeerConnections(page)).toBe(0);
      }
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
