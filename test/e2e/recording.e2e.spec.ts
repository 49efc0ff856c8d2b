// Call recording end to end (docs/calls.md "Recording"): three members of "Design" (bob, carol,
// erin) in a room call with fake devices; the host records ~10 s with the Record button, everyone
// sees the indicator and the notice, the WebM file lands in RECORDINGS_DIR (ffprobe: audio + video,
// the right duration), it is posted in the call's thread, members download it (ranges too),
// non-members get 403. Non-hosts are refused; killing ffmpeg mid-recording tells the host and
// keeps a playable partial file. The recorded video follows a screen share (frame by frame). A
// second server with a limit of seconds: the reminder, the automatic stop, and a new recording at
// once.
import type { Browser, Page } from 'playwright-core';
import {
  API,
  type ChatMessage,
  type MessageAttachment,
  type RoomCallInfo,
  type RoomSummary,
} from '@parley/protocol';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { until, type Person } from '../support/calls';
import {
  groupPerson,
  launchChromiumForGroupCalls,
  leaveCalls,
  roomByTitle,
  startRoomCall,
} from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';
import { connectSocket } from '../support/sockets';

interface Probe {
  streams: { codec_type: string; codec_name: string }[];
  format: { duration?: string; format_name: string };
}

function ffprobe(file: string): Probe {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Probe;
}

type Rgb = [number, number, number];

/** One frame of a recording's video: its time and the average colour of its edges and centre. */
interface FrameColours {
  t: number;
  /** The leftmost and rightmost 80 px columns (a 4:3 picture is pillarboxed by 160 px each side). */
  edge: Rgb;
  /** The middle 640 px. */
  centre: Rgb;
}

/** Every frame of `file`'s video (15 fps) averaged down to 16x9 cells of 80x80 px. */
function frameColours(file: string): FrameColours[] {
  const args =
    '-v error -i FILE -an -fps_mode passthrough -vf scale=16:9:flags=area -f rawvideo -pix_fmt rgb24 -';
  const raw = execFileSync(
    'ffmpeg',
    args.split(' ').map((a) => (a === 'FILE' ? file : a)),
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const size = 16 * 9 * 3;
  const average = (frame: Buffer, columns: number[]): Rgb => {
    const sum: Rgb = [0, 0, 0];
    for (let y = 0; y < 9; y++) {
      for (const x of columns) for (let c = 0; c < 3; c++) sum[c] += frame[(y * 16 + x) * 3 + c];
    }
    return sum.map((v) => Math.round(v / (9 * columns.length))) as Rgb;
  };
  const frames: FrameColours[] = [];
  for (let i = 0; (i + 1) * size <= raw.length; i++) {
    const frame = raw.subarray(i * size, (i + 1) * size);
    frames.push({
      t: i / 15,
      edge: average(frame, [0, 15]),
      centre: average(frame, [4, 5, 6, 7, 8, 9, 10, 11]),
    });
  }
  return frames;
}

/** Chromium's fake video (camera and screen alike): green, well above red and blue. */
const isGreen = ([r, g, b]: Rgb) => g > 100 && g > r + 60 && g > b + 60;
const isDark = (rgb: Rgb) => Math.max(...rgb) < 40;

function describeColours(frames: FrameColours[]): string {
  if (frames.length === 0) return 'none';
  const mean = (pick: (f: FrameColours) => Rgb) =>
    [0, 1, 2].map((c) => Math.round(frames.reduce((s, f) => s + pick(f)[c], 0) / frames.length)).join(',');
  return `${frames.length} frames ${frames[0].t.toFixed(2)}-${frames[frames.length - 1].t.toFixed(2)} s, edge rgb(${mean((f) => f.edge)}) centre rgb(${mean((f) => f.centre)})`;
}

/** ffmpeg processes writing into `dir` (their command line names the output file). */
function ffmpegPids(dir: string): number[] {
  const found = spawnSync('pgrep', ['-f', `ffmpeg.*${dir}`], { encoding: 'utf8' });
  return found.stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
}

/** Waits until no ffmpeg writes into `dir` any more. */
async function noFfmpegLeft(dir: string, timeoutMs: number, what: string): Promise<void> {
  await until(
    async () => ffmpegPids(dir),
    (list) => list.length === 0,
    timeoutMs,
    what,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function login(server: TestServer, username: string): Promise<string> {
  const res = await fetch(`${server.url}${API.login}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'parley' }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

function connect(server: TestServer, token: string): Promise<Socket> {
  return connectSocket(server.url, token);
}

const indicator = (page: Page) => page.getByTestId('call-recording-indicator');
const notice = (page: Page, kind: string) =>
  page.locator(`[data-testid="call-recording-notice"][data-kind="${kind}"]`);

/**
 * The host presses Record and the indicator shows; if the server refuses, the test fails with the
 * notice the host sees and the server's last log lines (rather than a bare timeout).
 */
async function startRecording(host: Page, server: TestServer): Promise<void> {
  await host.getByTestId('call-record').click();
  const refused = notice(host, 'error');
  const outcome = await Promise.race([
    indicator(host)
      .waitFor({ timeout: 30_000 })
      .then(() => null),
    refused
      .waitFor({ timeout: 40_000 })
      .then(async () => `refused: ${await refused.textContent()}`)
      .catch(() => new Promise<never>(() => undefined)),
  ]).catch((error: unknown) => `no indicator: ${(error as Error).message}`);
  if (outcome !== null) {
    const state = await host.getByTestId('call-window').getAttribute('data-phase');
    throw new Error(
      `Recording did not start (${outcome}); call window ${state}\nserver log:\n${server.output().slice(-3000)}`,
    );
  }
}

/**
 * The host presses Record to stop: the indicator goes for everyone, the request was answered (the
 * button is usable again) and no error notice shows (a stop that timed out would say so there).
 */
async function stopRecording(host: Page, everyone: Page[]): Promise<void> {
  await host.getByTestId('call-record').click();
  for (const page of everyone) await indicator(page).waitFor({ state: 'detached', timeout: 20_000 });
  await host.locator('[data-testid="call-record"]:not([disabled])').waitFor({ timeout: 20_000 });
  expect(await notice(host, 'error').count()).toBe(0);
}

async function roomCall(who: Person, room: RoomSummary): Promise<RoomCallInfo> {
  return (await (await who.context.request.get(API.roomCall(room.id))).json()) as RoomCallInfo;
}

/** The recordings posted in the thread (or the room's stream when threadId is null), oldest first. */
async function postedRecordings(
  who: Person,
  room: RoomSummary,
  threadId: string | null,
): Promise<ChatMessage[]> {
  const url = `${API.roomMessages(room.id)}?limit=200${threadId ? `&thread=${threadId}` : ''}`;
  const messages = (await (await who.context.request.get(url)).json()) as ChatMessage[];
  return messages.filter((m) => m.attachment?.kind === 'recording');
}

async function waitForPost(
  who: Person,
  room: RoomSummary,
  threadId: string | null,
  count: number,
): Promise<MessageAttachment> {
  const posts = await until(
    () => postedRecordings(who, room, threadId),
    (list) => list.length >= count,
    60_000,
    `${count} recording(s) posted`,
  );
  return posts.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[count - 1]
    .attachment as MessageAttachment;
}

describe('call recording (built-in WebRTC, ffmpeg)', () => {
  let server: TestServer;
  let browser: Browser;
  let scratch: string;
  let recordings: string;
  let bob: Person;
  let carol: Person;
  let erin: Person;
  let design: RoomSummary;
  let threadId: string | null = null;
  let first: MessageAttachment;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'parley-rec-e2e-'));
    recordings = join(scratch, 'recordings');
    server = await startParley({ RECORDINGS_DIR: recordings });
    browser = await launchChromiumForGroupCalls();
    bob = await groupPerson(browser, server.url, 'bob');
    carol = await groupPerson(browser, server.url, 'carol');
    erin = await groupPerson(browser, server.url, 'erin');
    design = await roomByTitle(bob.context, 'Design');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('the host records ~10 s: everyone sees it, the WebM has audio + video of the right length, posted in the thread, members download it (ranges), non-members get 403', async () => {
    expect(existsSync(recordings)).toBe(true); // created at start-up
    await startRoomCall([bob, carol, erin], design);
    const call = (await roomCall(bob, design)).call;
    threadId = call?.threadId ?? null;

    // Only the host has the Record button.
    const record = bob.page.getByTestId('call-record');
    await record.waitFor();
    await expect(record.getAttribute('aria-pressed')).resolves.toBe('false');
    expect(await carol.page.getByTestId('call-record').count()).toBe(0);

    // The recording's span is known to lie between these clocks: it starts after the click
    // (ffmpeg is started then) and before the indicator shows; it ends after the stop click and
    // before the indicator goes. The click itself can take a second on a loaded machine.
    const startClickedAt = Date.now();
    await record.click();
    await indicator(bob.page).waitFor({ timeout: 20_000 });
    const startedAt = Date.now();
    await expect(record.getAttribute('aria-pressed')).resolves.toBe('true');
    for (const who of [bob, carol, erin]) {
      await indicator(who.page).waitFor({ timeout: 10_000 });
      await notice(who.page, 'started').waitFor({ timeout: 10_000 });
      await expect(notice(who.page, 'started').textContent()).resolves.toContain(
        'Bob Nguyen started recording',
      );
    }
    await expect(indicator(carol.page).textContent()).resolves.toMatch(/REC \d\d:\d\d/);
    expect(ffmpegPids(recordings).length).toBeGreaterThan(0);

    // Records for 10 s by this clock (a timer may fire a millisecond early, hence the loop).
    while (Date.now() < startedAt + 10_000) await sleep(startedAt + 10_000 - Date.now());
    const stopClickedAt = Date.now();
    await record.click();
    await indicator(bob.page).waitFor({ state: 'detached', timeout: 20_000 });
    const stoppedAt = Date.now();
    const shortest = (stopClickedAt - startedAt) / 1000;
    const longest = (stoppedAt - startClickedAt) / 1000;
    for (const who of [carol, erin]) {
      await indicator(who.page).waitFor({ state: 'detached', timeout: 20_000 });
    }
    await bob.page.locator('[data-testid="call-record"]:not([disabled])').waitFor({ timeout: 20_000 });
    expect(await notice(bob.page, 'error').count()).toBe(0);
    await notice(carol.page, 'stopped').waitFor({ timeout: 10_000 });

    first = await waitForPost(carol, design, threadId, 1);
    const file = join(recordings, `${first.id}.webm`);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).size).toBe(first.sizeBytes);
    expect(first).toMatchObject({
      kind: 'recording',
      mimeType: 'video/webm',
      url: API.recordingFile(first.id),
    });
    expect(first.name).toMatch(/\.webm$/);
    const probe = ffprobe(file);
    const kinds = probe.streams.map((s) => s.codec_type);
    expect(kinds).toEqual(expect.arrayContaining(['audio', 'video']));
    const duration = Number(probe.format.duration);
    console.log(
      `recording: between ${shortest.toFixed(2)} and ${longest.toFixed(2)} s expected, ffprobe ${duration.toFixed(2)} s, ${first.sizeBytes} bytes, streams ${probe.streams.map((s) => `${s.codec_type}/${s.codec_name}`).join(' ')}, posted durationMs ${first.durationMs}`,
    );
    // The file covers the recording's span, give or take a WebM cluster and the encoder's start.
    expect(duration).toBeGreaterThanOrEqual(shortest - 1.5);
    expect(duration).toBeLessThanOrEqual(longest + 1.5);
    expect(shortest).toBeGreaterThanOrEqual(10);
    const post = (await postedRecordings(carol, design, threadId)).find((m) => m.attachment?.id === first.id);
    expect(post?.authorId).toBe(bob.user.id);
    expect(post?.body).toMatch(/^Recording of the call \(\d\d:\d\d, [\d.]+ (KB|MB)\)$/);
    expect(ffmpegPids(recordings)).toEqual([]);

    // A member downloads it whole, and a range of it.
    const whole = await erin.context.request.get(first.url);
    expect(whole.status()).toBe(200);
    expect(whole.headers()['accept-ranges']).toBe('bytes');
    expect(whole.headers()['content-type']).toMatch(/^video\/webm/);
    expect(whole.headers()['content-disposition']).toBe(`attachment; filename="${first.name}"`);
    expect((await whole.body()).length).toBe(first.sizeBytes);
    const part = await erin.context.request.get(first.url, { headers: { Range: 'bytes=0-99' } });
    expect(part.status()).toBe(206);
    expect(part.headers()['content-range']).toBe(`bytes 0-99/${first.sizeBytes}`);
    expect((await part.body()).length).toBe(100);

    // Not a member of Design: 403; unknown recording: 404; signed out: 401.
    const dave = await login(server, 'dave');
    const denied = await fetch(server.url + first.url, { headers: { authorization: `Bearer ${dave}` } });
    expect(denied.status).toBe(403);
    const unknown = await fetch(server.url + API.recordingFile('00000000-0000-4000-8000-000000000000'), {
      headers: { authorization: `Bearer ${dave}` },
    });
    expect(unknown.status).toBe(404);
    expect((await fetch(server.url + first.url)).status).toBe(401);
  }, 300_000);

  it('a non-host is refused: no Record button, call.recording.start forbidden, /call recording start answers so', async () => {
    const callId = (await roomCall(bob, design)).call?.id as string;
    expect(await erin.page.getByTestId('call-record').count()).toBe(0);
    const socket = await connect(server, await login(server, 'carol'));
    try {
      const reply = (await socket.emitWithAck('call.recording.start', { callId })) as unknown;
      expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: 'Only the host can record' } });
      const bad = (await socket.emitWithAck('call.recording.start', { callId: 42 })) as {
        ok: boolean;
        error: { code: string };
      };
      expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    } finally {
      socket.close();
    }
    const res = await carol.context.request.post(API.roomMessages(design.id), {
      data: { body: '/call recording start' },
    });
    const reply = (await res.json()) as ChatMessage;
    expect(reply.ephemeral).toBe(true);
    expect(reply.body).toMatch(/only the host can record/i);
    await expect(indicator(bob.page).count()).resolves.toBe(0);
  }, 60_000);

  it('ffmpeg killed mid-recording: the host is told, the partial file is posted and plays', async () => {
    const before = new Set(readdirSync(recordings));
    await startRecording(bob.page, server);
    // Kill it once it has written some media (WebM clusters, about one a second), not at a fixed
    // time: how soon ffmpeg writes its first cluster depends on the machine's load.
    const written = () =>
      readdirSync(recordings)
        .filter((name) => name.endsWith('.webm') && !before.has(name))
        .reduce((most, name) => Math.max(most, statSync(join(recordings, name)).size), 0);
    await until(
      async () => written(),
      (bytes) => bytes >= 150_000,
      30_000,
      'the recording to write media',
    );
    const pids = ffmpegPids(recordings);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, 'SIGKILL');

    await notice(bob.page, 'failed').waitFor({ timeout: 20_000 });
    await expect(notice(bob.page, 'failed').textContent()).resolves.toMatch(/Recording stopped/);
    for (const who of [bob, carol, erin]) {
      await indicator(who.page).waitFor({ state: 'detached', timeout: 20_000 });
    }
    // The failure notice goes to the host only.
    expect(await notice(carol.page, 'failed').count()).toBe(0);

    const partial = await waitForPost(carol, design, threadId, 2);
    expect(partial.id).not.toBe(first.id);
    const probe = ffprobe(join(recordings, `${partial.id}.webm`));
    console.log(
      `partial recording: ffprobe ${probe.format.duration} s, ${partial.sizeBytes} bytes, streams ${probe.streams.map((s) => s.codec_type).join(' ')}`,
    );
    expect(Number(probe.format.duration)).toBeGreaterThan(0);
    expect(probe.streams.map((s) => s.codec_type)).toContain('video');
    // No stray process, no temp file: only the two recordings.
    await noFfmpegLeft(recordings, 10_000, 'no ffmpeg left');
    expect(readdirSync(recordings).sort()).toEqual([`${first.id}.webm`, `${partial.id}.webm`].sort());

    // The host can record again right away, and ending the call stops (and posts) it.
    await startRecording(bob.page, server);
    await indicator(carol.page).waitFor({ timeout: 20_000 });
    await sleep(3000);
    await bob.page.getByTestId('call-end-all').click();
    await waitForPost(carol, design, threadId, 3);
    await noFfmpegLeft(recordings, 15_000, 'no ffmpeg left after the call ended');
  }, 180_000);

  it('the video follows the screen share: the camera (4:3, pillarboxed) first, then the shared screen (16:9, full frame) to the end', async () => {
    // Chromium's fake devices draw the same green picture for the camera and the screen, but the
    // camera is 640x480 (4:3: black bars left and right in the 1280x720 recording) and the
    // screen 16:9 (fills the frame). So the frame's edges tell which source is shown.
    // From no call: the tests above end theirs, but one that failed halfway must not leave its
    // call (or its recording) to this one.
    await leaveCalls([bob, carol, erin]);
    await noFfmpegLeft(recordings, 30_000, 'no ffmpeg left from the tests before');
    await startRoomCall([bob, carol], design);
    const threadId = (await roomCall(bob, design)).call?.threadId ?? null;
    const before = (await postedRecordings(carol, design, threadId)).length;
    await startRecording(bob.page, server);
    const startedAt = Date.now();
    await sleep(4000);
    // The recording's clock starts before the indicator shows: the share is at least this late in it.
    const sharedAfter = (Date.now() - startedAt) / 1000;
    await carol.page.getByTestId('call-screen').click();
    await carol.page.locator('[data-testid="call-screen"][aria-pressed="true"]').waitFor({ timeout: 15_000 });
    await bob.page
      .locator(`[data-testid="screen-tile"][data-user-id="${carol.user.id}"]`)
      .waitFor({ timeout: 15_000 });
    await sleep(5000);
    await stopRecording(bob.page, [bob.page, carol.page]);
    const posted = await waitForPost(carol, design, threadId, before + 1);

    const frames = frameColours(join(recordings, `${posted.id}.webm`));
    const kind = (f: FrameColours) =>
      isGreen(f.centre) && isDark(f.edge)
        ? 'camera'
        : isGreen(f.centre) && isGreen(f.edge)
          ? 'screen'
          : 'other';
    // Black (the filler) until the camera's first key frame, which a busy machine can delay.
    const firstCamera = frames.findIndex((f) => kind(f) === 'camera');
    const cameraFrom = firstCamera < 0 ? Number.POSITIVE_INFINITY : frames[firstCamera].t;
    const cameraPart = frames.filter((f) => f.t >= cameraFrom && f.t <= sharedAfter - 0.5);
    const firstScreen = frames.findIndex((f) => kind(f) === 'screen');
    const screenPart = firstScreen < 0 ? [] : frames.slice(firstScreen);
    const last = frames[frames.length - 1];
    console.log(
      `screen share recording: ${frames.length} frames (${last.t.toFixed(2)} s; file ${posted.durationMs} ms), first camera frame at ${cameraFrom.toFixed(2)} s, share clicked after >= ${sharedAfter.toFixed(2)} s, first screen frame at ${firstScreen < 0 ? 'none' : frames[firstScreen].t.toFixed(2)} s; camera part ${describeColours(cameraPart)}; screen part ${describeColours(screenPart)}`,
    );
    // Before the share: the camera within 2 s, then every frame (no black, no full-frame picture).
    expect(cameraFrom).toBeLessThan(2);
    expect(frames.slice(0, Math.max(firstCamera, 0)).filter((f) => kind(f) === 'screen')).toEqual([]);
    expect(cameraPart.length).toBeGreaterThan(20);
    expect(cameraPart.filter((f) => kind(f) !== 'camera').map((f) => f.t)).toEqual([]);
    // After the switch: the screen, every frame to the end, for at least the last 2.5 s.
    expect(firstScreen).toBeGreaterThan(0);
    expect(frames[firstScreen].t).toBeGreaterThan(sharedAfter - 0.5);
    expect(last.t - frames[firstScreen].t).toBeGreaterThanOrEqual(2.5);
    expect(screenPart.filter((f) => kind(f) !== 'screen').map((f) => f.t)).toEqual([]);

    await bob.page.getByTestId('call-end-all').click();
    await noFfmpegLeft(recordings, 15_000, 'no ffmpeg left after the call ended');
  }, 180_000);
});

describe('call recording limit (RECORDING_MAX_SECONDS)', () => {
  let server: TestServer;
  let browser: Browser;
  let scratch: string;
  let bob: Person;
  let carol: Person;
  let design: RoomSummary;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'parley-rec-limit-e2e-'));
    server = await startParley({
      RECORDINGS_DIR: join(scratch, 'recordings'),
      RECORDING_MAX_SECONDS: '12',
      RECORDING_REMINDER_SECONDS: '6',
    });
    browser = await launchChromiumForGroupCalls();
    bob = await groupPerson(browser, server.url, 'bob');
    carol = await groupPerson(browser, server.url, 'carol');
    design = await roomByTitle(bob.context, 'Design');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('reminds the host, stops by itself at the limit (posted), and a new recording starts at once', async () => {
    await startRoomCall([bob, carol], design);
    const threadId = (await roomCall(bob, design)).call?.threadId ?? null;
    await startRecording(bob.page, server);
    const startedAt = Date.now();

    await notice(bob.page, 'reminder').waitFor({ timeout: 15_000 });
    const remindedAfter = (Date.now() - startedAt) / 1000;
    await expect(notice(bob.page, 'reminder').textContent()).resolves.toContain(
      'Recording stops in 6 seconds',
    );
    expect(await notice(carol.page, 'reminder').count()).toBe(0);

    for (const who of [bob, carol]) await notice(who.page, 'limit').waitFor({ timeout: 15_000 });
    const stoppedAfter = (Date.now() - startedAt) / 1000;
    await indicator(carol.page).waitFor({ state: 'detached', timeout: 10_000 });
    console.log(
      `limit: reminder after ${remindedAfter.toFixed(1)} s, stopped after ${stoppedAfter.toFixed(1)} s`,
    );
    expect(remindedAfter).toBeGreaterThan(4);
    expect(stoppedAfter).toBeGreaterThan(10);
    expect(stoppedAfter).toBeLessThan(16);

    const posted = await waitForPost(carol, design, threadId, 1);
    const probe = ffprobe(join(scratch, 'recordings', `${posted.id}.webm`));
    console.log(`limit recording: ffprobe ${probe.format.duration} s, ${posted.sizeBytes} bytes`);
    expect(Math.abs(Number(probe.format.duration) - 12)).toBeLessThanOrEqual(2);

    // Right away: a new one.
    await startRecording(bob.page, server);
    await indicator(carol.page).waitFor({ timeout: 20_000 });
    await notice(carol.page, 'started').waitFor({ timeout: 10_000 });
    await sleep(2000);
    await stopRecording(bob.page, [bob.page, carol.page]);
    await waitForPost(carol, design, threadId, 2);
  }, 240_000);
});
