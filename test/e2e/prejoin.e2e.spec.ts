// The pre-join check of group calls (issue #16): before joining, the call window shows the own
// camera, a live microphone level, device pickers, a speaker test and the mic/camera switches.
// Chromium's fake devices (two cameras, the default microphone and two more): the level moves
// with the fake microphone's beeps, the microphone picked is the one the call sends, the call
// starts muted when the check said so, and the pick is remembered for the next call. A browser
// that refuses camera and microphone is told so and joins receive-only, seeing the others.
import { API, type RoomCallInfo, type RoomSummary } from '@parley/protocol';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../support/browser';
import { until, type Person } from '../support/calls';
import {
  expectMediaFrom,
  groupPerson,
  joinFromPrejoin,
  roomByTitle,
  waitForActiveCall,
} from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';

/** The fake microphone the test picks (Chromium names its fake devices this way). */
const PICKED_MIC = 'Fake Audio Input 2';

describe('group calls: the pre-join check', () => {
  let server: TestServer;
  let browser: Browser;
  let denyingBrowser: Browser;
  let alice: Person;
  let square: RoomSummary;

  const windowOf = (page: Page) => page.getByTestId('call-window');
  const startFromHeader = (page: Page) =>
    page.locator('[data-call-slot="room-header"] [data-testid="call-button"]').click({ timeout: 15_000 });
  const roomCall = async () =>
    ((await (await alice.context.request.get(API.roomCall(square.id))).json()) as RoomCallInfo).call;

  beforeAll(async () => {
    server = await startParley();
    const args = CHROMIUM_ARGS.map((arg) =>
      arg === '--use-fake-device-for-media-stream' ? `${arg}=device-count=2` : arg,
    );
    browser = await chromium.launch({ executablePath: chromiumExecutable(), headless: true, args });
    denyingBrowser = await chromium.launch({
      executablePath: chromiumExecutable(),
      headless: true,
      args: CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-ui-for-media-stream'),
    });
    alice = await groupPerson(browser, server.url, 'alice');
    square = await roomByTitle(alice.context, 'Town Square');
  }, 120_000);

  // A failed test leaves no check or call open for the next one.
  afterEach(async () => {
    const cancel = alice.page.getByTestId('prejoin-cancel');
    if (await cancel.isVisible()) await cancel.click();
    const hangup = alice.page.getByTestId('call-hangup');
    if (await hangup.isVisible()) await hangup.click();
    await windowOf(alice.page).waitFor({ state: 'detached', timeout: 15_000 });
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), denyingBrowser?.close()]);
    await server?.stop();
  });

  it('previews the camera, meters the microphone, joins muted with the microphone picked, and remembers it', async () => {
    const { page } = alice;
    await page.goto(`/rooms/${square.id}`);
    await page.getByTestId('chat-room').waitFor();
    await startFromHeader(page);
    await page.getByTestId('prejoin').waitFor({ timeout: 15_000 });

    // The own camera plays in the preview; the microphone level moves with the fake beeps.
    await until(
      () =>
        page.evaluate(
          () => document.querySelector<HTMLVideoElement>('[data-testid="prejoin-preview"]')?.videoWidth ?? 0,
        ),
      (width) => width > 0,
      15_000,
      'preview frames',
    );
    const level = page.getByTestId('prejoin-level');
    await until(
      async () => Number(await level.getAttribute('data-level')),
      (value) => value >= 30,
      15_000,
      'microphone level',
    );
    // Nothing is joined or started while the check is open.
    expect(await roomCall()).toBeNull();

    // The pickers list the devices by name; another microphone is picked.
    const mic = page.getByTestId('prejoin-mic');
    const labels = (await mic.locator('option').allTextContents()).map((label) => label.trim());
    expect(labels).toEqual(expect.arrayContaining([PICKED_MIC]));
    expect(await page.getByTestId('prejoin-camera-device').locator('option').count()).toBe(2);
    await mic.selectOption({ label: PICKED_MIC });
    await until(
      () =>
        page.evaluate(() => {
          const video = document.querySelector<HTMLVideoElement>('[data-testid="prejoin-preview"]');
          const stream = video?.srcObject as MediaStream | null;
          return stream?.getAudioTracks()[0]?.label ?? '';
        }),
      (label) => label === PICKED_MIC,
      15_000,
      'the preview on the picked microphone',
    );

    // The speaker test plays its chime to the end.
    const speaker = page.getByTestId('prejoin-test-speaker');
    await speaker.click();
    // While the chime plays the button is disabled and says so (waited for: rendering is async).
    await page
      .locator('[data-testid="prejoin-test-speaker"][disabled]', { hasText: 'Playing' })
      .waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="prejoin-test-speaker"]:not([disabled])').waitFor({ timeout: 10_000 });

    // Microphone off in the check: the call starts muted, on the picked microphone.
    await page.getByTestId('prejoin-mute').click();
    await page.locator('[data-testid="prejoin-mute"][aria-pressed="true"]').waitFor();
    await joinFromPrejoin(page);
    await waitForActiveCall(page, 'alice');
    await page.locator('[data-testid="call-mute"][aria-pressed="true"]').waitFor({ timeout: 10_000 });
    const sent = await until(
      () =>
        page.evaluate(() => {
          const pcs = (window as unknown as { __parleyPcs?: RTCPeerConnection[] }).__parleyPcs ?? [];
          const tracks = pcs.flatMap((pc) => pc.getSenders().map((sender) => sender.track));
          const audio = tracks.find((track) => track?.kind === 'audio');
          return audio ? { label: audio.label, enabled: audio.enabled } : null;
        }),
      (track) => track !== null,
      15_000,
      'an audio sender',
    );
    expect(sent).toEqual({ label: PICKED_MIC, enabled: false });
    // The others see alice muted (the server was told).
    await until(
      async () => (await roomCall())?.participants.find((p) => p.userId === alice.user.id)?.muted,
      (muted) => muted === true,
      10_000,
      'alice muted on the server',
    );

    // Left, and started again: the check remembers the microphone; Cancel starts nothing.
    await page.getByTestId('call-hangup').click();
    await windowOf(page).waitFor({ state: 'detached', timeout: 15_000 });
    await startFromHeader(page);
    await page.locator('[data-testid="prejoin-join"]:not([disabled])').waitFor({ timeout: 15_000 });
    await expect(mic.locator('option:checked').textContent()).resolves.toContain(PICKED_MIC);
    await page.getByTestId('prejoin-cancel').click();
    await windowOf(page).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await roomCall()).toBeNull();
  }, 120_000);

  it('camera and microphone blocked: the check says so and joins receive-only, seeing and hearing the others', async () => {
    // alice is in the call (microphone on again: the check's switch).
    await startFromHeader(alice.page);
    await alice.page.getByTestId('prejoin').waitFor({ timeout: 15_000 });
    if ((await alice.page.getByTestId('prejoin-mute').getAttribute('aria-pressed')) === 'true') {
      await alice.page.getByTestId('prejoin-mute').click();
    }
    await joinFromPrejoin(alice.page);
    await waitForActiveCall(alice.page, 'alice');

    const bob = await groupPerson(denyingBrowser, server.url, 'bob');
    try {
      await bob.context.clearPermissions();
      await bob.page.goto(`/rooms/${square.id}`);
      await bob.page.getByTestId('call-banner-join').click({ timeout: 15_000 });
      const problem = bob.page.getByTestId('prejoin-problem');
      await expect(problem.textContent({ timeout: 15_000 })).resolves.toContain(
        'Camera and microphone access is blocked',
      );
      const join = bob.page.getByTestId('prejoin-join');
      await expect(join.textContent()).resolves.toContain('Join without camera and microphone');
      await join.click();
      await waitForActiveCall(bob.page, 'bob');
      await expectMediaFrom(bob.page, [alice.user.id], ['audio', 'video'], 30_000);
      await bob.page.getByTestId('call-hangup').click();
      await windowOf(bob.page).waitFor({ state: 'detached', timeout: 15_000 });
    } finally {
      await bob.context.close();
    }
    await alice.page.getByTestId('call-hangup').click();
    await windowOf(alice.page).waitFor({ state: 'detached', timeout: 15_000 });
  }, 120_000);
});
