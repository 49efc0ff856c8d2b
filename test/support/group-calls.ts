/**
 * Helpers of the group call tests: per-stream inbound media counters (one entry per remote
 * track, so "audio and video from each of the others" can be checked), a test-only init script
 * that keeps the page's WebSockets (to drop the signaling socket mid-call), and room lookups.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RoomSummary } from '@parley/protocol';
import { CHROMIUM_ARGS, chromiumExecutable } from './browser';
import { person, until, type Person } from './calls';
import { chromium } from 'playwright-core';

/**
 * Installed with `context.addInitScript`: remembers every WebSocket the page opens; while
 * `window.__parleyBlockSocketsUntil` is in the future, new ones go to a closed port (fail).
 */
export const CAPTURE_WEBSOCKETS = `(() => {
  const Native = window.WebSocket;
  if (!Native || window.__parleySockets) return;
  const list = [];
  Object.defineProperty(window, '__parleySockets', { value: list });
  const Wrapped = function (...args) {
    if ((window.__parleyBlockSocketsUntil ?? 0) > Date.now()) args = ['ws://127.0.0.1:9/blocked'];
    const ws = new Native(...args);
    list.push(ws);
    return ws;
  };
  Wrapped.prototype = Native.prototype;
  Object.setPrototypeOf(Wrapped, Native);
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Wrapped[k] = Native[k];
  window.WebSocket = Wrapped;
})();`;

/**
 * Chromium for group calls: the shared flags plus what makes getDisplayMedia work headless
 * (the fake UI picks the entire screen without a prompt).
 */
export function launchChromiumForGroupCalls(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      '--auto-select-desktop-capture-source=Entire screen',
      '--enable-usermedia-screen-capturing',
    ],
  });
}

/** A signed-in person whose peer connections and WebSockets are captured. */
export async function groupPerson(browser: Browser, baseURL: string, username: string): Promise<Person> {
  return person(browser, baseURL, username, [CAPTURE_WEBSOCKETS]);
}

/** A room of the seed by title (as seen by `context`'s user; admins see it only if a member). */
export async function roomByTitle(context: BrowserContext, title: string): Promise<RoomSummary> {
  const rooms = (await (await context.request.get('/api/rooms')).json()) as RoomSummary[];
  const room = rooms.find((r) => r.title === title);
  if (!room) throw new Error(`no room "${title}" for this user`);
  return room;
}

/** One inbound RTP stream (one remote track) of the page's live peer connections. */
export interface InboundStream {
  key: string;
  kind: 'audio' | 'video';
  bytes: number;
  /** Whose track it is (from the tile that plays it), `<userId>` or `<userId>:screen`; null if none. */
  owner: string | null;
}

export function inboundStreams(page: Page): Promise<InboundStream[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __parleyPcs?: RTCPeerConnection[] }).__parleyPcs ?? [];
    const list: { key: string; kind: 'audio' | 'video'; bytes: number; owner: string | null }[] = [];
    const owners = new Map<string, string>();
    document
      .querySelectorAll<HTMLElement>('[data-testid="participant-tile"], [data-testid="screen-tile"]')
      .forEach((tile) => {
        const owner = `${tile.dataset['userId']}${tile.dataset['screen'] === 'true' ? ':screen' : ''}`;
        tile.querySelectorAll('video, audio').forEach((media) => {
          const stream = (media as HTMLMediaElement).srcObject;
          if (stream instanceof MediaStream) stream.getTracks().forEach((t) => owners.set(t.id, owner));
        });
      });
    for (const [i, pc] of pcs.entries()) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s: Record<string, unknown>) => {
        if (s['type'] === 'inbound-rtp' && (s['kind'] === 'audio' || s['kind'] === 'video')) {
          list.push({
            key: `${i}:${String(s['id'])}`,
            kind: s['kind'],
            bytes: Number(s['bytesReceived'] ?? 0),
            owner: owners.get(String(s['trackIdentifier'])) ?? null,
          });
        }
      });
    }
    return list;
  });
}

/** Streams of `kind` whose bytes grew between two samples. */
function grown(before: InboundStream[], after: InboundStream[], kind: 'audio' | 'video'): number {
  const old = new Map(before.map((s) => [s.key, s.bytes]));
  return after.filter((s) => s.kind === kind && s.bytes > (old.get(s.key) ?? 0)).length;
}

/**
 * Waits until at least `audio` audio streams and `video` video streams are all receiving
 * (bytes growing between two samples): media from that many remote participants flows.
 */
export async function expectStreamsFlowing(
  page: Page,
  counts: { audio: number; video: number },
  timeoutMs = 30_000,
): Promise<void> {
  let previous = await inboundStreams(page);
  await until(
    async () => {
      const now = await inboundStreams(page);
      const result = { audio: grown(previous, now, 'audio'), video: grown(previous, now, 'video') };
      previous = now;
      return result;
    },
    (r) => r.audio >= counts.audio && r.video >= counts.video,
    timeoutMs,
    `inbound streams (${counts.audio} audio, ${counts.video} video) growing`,
  );
}

/**
 * Waits until the page receives growing `kinds` from each of `owners` (user ids, or
 * `<userId>:screen` for a screen share): per remote participant, not just in total.
 */
export async function expectMediaFrom(
  page: Page,
  owners: readonly string[],
  kinds: readonly ('audio' | 'video')[],
  timeoutMs = 30_000,
): Promise<void> {
  let previous = await inboundStreams(page);
  await until(
    async () => {
      const now = await inboundStreams(page);
      const old = new Map(previous.map((s) => [s.key, s.bytes]));
      previous = now;
      const missing: string[] = [];
      for (const owner of owners) {
        for (const kind of kinds) {
          const ok = now.some((s) => s.owner === owner && s.kind === kind && s.bytes > (old.get(s.key) ?? 0));
          if (!ok) missing.push(`${owner} ${kind}`);
        }
      }
      return missing;
    },
    (missing) => missing.length === 0,
    timeoutMs,
    'media from every participant growing (missing listed)',
  );
}

/** A network outage of one page's signalling: made by {@link dropSockets}, ended by `restore`. */
export interface SocketOutage {
  /** How many open sockets were closed. */
  closed: number;
  /** The network is back: socket.io's own reconnection gets through again. */
  restore(): Promise<void>;
}

/**
 * Closes the page's open WebSockets and keeps new ones (and socket.io's HTTP requests) failing
 * until `restore()`: the test decides when the outage ends, after it has seen what the outage
 * must show, so a busy machine cannot make it end before anyone looked.
 */
export async function dropSockets(page: Page): Promise<SocketOutage> {
  const pattern = '**/socket.io/**';
  await page.route(pattern, (route) => route.abort('internetdisconnected'));
  const closed = await page.evaluate(() => {
    const w = window as unknown as { __parleySockets?: WebSocket[]; __parleyBlockSocketsUntil?: number };
    w.__parleyBlockSocketsUntil = Number.POSITIVE_INFINITY;
    const open = (w.__parleySockets ?? []).filter((ws) => ws.readyState === WebSocket.OPEN);
    open.forEach((ws) => ws.close());
    return open.length;
  });
  return {
    closed,
    restore: async () => {
      await page.evaluate(() => {
        (window as unknown as { __parleyBlockSocketsUntil?: number }).__parleyBlockSocketsUntil = 0;
      });
      await page.unroute(pattern);
    },
  };
}

/** The call window of a page once the call is active. */
export const activeWindow = (page: Page) => page.locator('[data-testid="call-window"][data-phase="active"]');

/**
 * "Join now" in the pre-join check a group call of the built-in provider opens with (Playwright
 * waits until it is enabled: the camera and microphone have started).
 */
export async function joinFromPrejoin(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.getByTestId('prejoin-join').click({ timeout: timeoutMs });
}

/**
 * Waits for the page's call to be active; if it is not in time, fails with what the window shows
 * (its phase and text: an end message, a notice) rather than a bare timeout.
 */
export async function waitForActiveCall(page: Page, who: string, timeoutMs = 30_000): Promise<void> {
  try {
    await activeWindow(page).waitFor({ timeout: timeoutMs });
  } catch (error) {
    const window = page.getByTestId('call-window');
    const shown =
      (await window.count()) === 0
        ? 'no call window'
        : `call window ${await window.getAttribute('data-phase')}: ${(await window.innerText()).replace(/\s+/g, ' ').slice(0, 400)}`;
    throw new Error(`${who}: the call did not become active within ${timeoutMs} ms (${shown})`, {
      cause: error,
    });
  }
}

/**
 * A room call with media flowing: the first person starts it from the room header, the others
 * join from the banner; every page shows everyone's tile and the starter receives the others.
 */
export async function startRoomCall(people: Person[], room: RoomSummary): Promise<void> {
  const [host, ...others] = people;
  for (const who of people) {
    await who.page.goto(`/rooms/${room.id}`);
    await who.page.getByTestId('chat-room').waitFor();
  }
  await host.page
    .locator('[data-call-slot="room-header"] [data-testid="call-button"]')
    .click({ timeout: 15_000 });
  await joinFromPrejoin(host.page);
  await waitForActiveCall(host.page, host.user.username);
  for (const who of others) {
    await who.page.getByTestId('call-banner-join').click({ timeout: 15_000 });
    await joinFromPrejoin(who.page);
    await waitForActiveCall(who.page, who.user.username);
  }
  for (const who of people) {
    await until(
      () => who.page.locator('[data-testid="participant-tile"]').count(),
      (n) => n === people.length,
      30_000,
      `${who.user.username}: ${people.length} tiles`,
    );
  }
  await expectMediaFrom(
    host.page,
    others.map((o) => o.user.id),
    ['audio', 'video'],
    60_000,
  );
}

/**
 * Leaves whatever call each page is in (Leave/Hang up) and waits until the windows are gone, so
 * the next test starts from no call. For `afterEach`: a failed test must not leave its call open
 * for the next one (which would then count the wrong tiles).
 */
export async function leaveCalls(people: Person[]): Promise<void> {
  for (const who of people) {
    const window = who.page.getByTestId('call-window');
    if ((await window.count()) === 0) continue;
    const hangup = who.page.getByTestId('call-hangup');
    if ((await hangup.count()) > 0) await hangup.click({ timeout: 10_000 }).catch(() => undefined);
    await window.waitFor({ state: 'detached', timeout: 20_000 });
  }
}
