/**
 * Helpers of the call tests: a test-only init script that keeps every RTCPeerConnection a page
 * creates (nothing is exposed by production code), media byte counters over getStats, and a
 * signed-in user with their id.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { UserSummary } from '@parley/protocol';
import { signIn } from './browser';

/** Installed with `context.addInitScript`: wraps RTCPeerConnection to remember its instances. */
export const CAPTURE_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  if (!Native || window.__parleyPcs) return;
  const list = [];
  Object.defineProperty(window, '__parleyPcs', { value: list });
  const Wrapped = function (...args) {
    const pc = new Native(...args);
    list.push(pc);
    return pc;
  };
  Wrapped.prototype = Native.prototype;
  Object.setPrototypeOf(Wrapped, Native);
  window.RTCPeerConnection = Wrapped;
})();`;

export interface Person {
  context: BrowserContext;
  page: Page;
  user: UserSummary;
}

/** A new browser context signed in as `username`, capturing its peer connections. */
export async function person(
  browser: Browser,
  baseURL: string,
  username: string,
  initScripts: string[] = [],
): Promise<Person> {
  const { context, page } = await signIn(browser, baseURL, username, undefined, [
    CAPTURE_PEER_CONNECTIONS,
    ...initScripts,
  ]);
  await connected(page);
  const users = (await (await context.request.get('/api/users')).json()) as UserSummary[];
  const user = users.find((u) => u.username === username);
  if (!user) throw new Error(`no user ${username}`);
  return { context, page, user };
}

/** Another tab of the same person (same cookies). */
export async function secondTab(who: Person): Promise<Page> {
  const page = await who.context.newPage();
  await page.goto('/');
  await connected(page);
  return page;
}

/**
 * Waits until the page is signed in and its socket is connected: a push sent before that (a ring,
 * say) never reaches the tab.
 */
export async function connected(page: Page, timeout = 30_000): Promise<void> {
  await page.getByTestId('presence-menu').waitFor({ timeout });
  await page.locator('header[data-realtime="connected"]').waitFor({ timeout });
}

export interface MediaBytes {
  audio: number;
  video: number;
}

/** Sum of inbound-rtp bytes per kind over the page's live peer connections. */
export function inboundBytes(page: Page): Promise<MediaBytes> {
  return statsBytes(page, 'inbound-rtp', 'bytesReceived');
}

export function outboundBytes(page: Page): Promise<MediaBytes> {
  return statsBytes(page, 'outbound-rtp', 'bytesSent');
}

function statsBytes(page: Page, type: string, field: string): Promise<MediaBytes> {
  return page.evaluate(
    async ({ type, field }) => {
      const pcs = (window as unknown as { __parleyPcs?: RTCPeerConnection[] }).__parleyPcs ?? [];
      const sum = { audio: 0, video: 0 };
      for (const pc of pcs) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        report.forEach((s: Record<string, unknown>) => {
          if (s['type'] === type && (s['kind'] === 'audio' || s['kind'] === 'video')) {
            sum[s['kind']] += Number(s[field] ?? 0);
          }
        });
      }
      return sum;
    },
    { type, field },
  );
}

/** Types of the selected ICE candidate pairs (local, remote) of the live peer connections. */
export function selectedCandidateTypes(page: Page): Promise<{ local: string; remote: string }[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __parleyPcs?: RTCPeerConnection[] }).__parleyPcs ?? [];
    const pairs: { local: string; remote: string }[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      const byId = new Map<string, Record<string, unknown>>();
      report.forEach((s: Record<string, unknown>) => byId.set(String(s['id']), s));
      report.forEach((s: Record<string, unknown>) => {
        if (s['type'] === 'transport' && s['selectedCandidatePairId']) {
          const pair = byId.get(String(s['selectedCandidatePairId']));
          const local = byId.get(String(pair?.['localCandidateId']));
          const remote = byId.get(String(pair?.['remoteCandidateId']));
          pairs.push({ local: String(local?.['candidateType']), remote: String(remote?.['candidateType']) });
        }
      });
    }
    return pairs;
  });
}

/** Number of live (not closed) peer connections of the page. */
export function livePeerConnections(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      ((window as unknown as { __parleyPcs?: RTCPeerConnection[] }).__parleyPcs ?? []).filter(
        (pc) => pc.connectionState !== 'closed',
      ).length,
  );
}

/** Polls `probe` until `check` holds (or fails with the last value after `timeoutMs`). */
export async function until<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!check(last)) {
    if (Date.now() > deadline)
      throw new Error(`${what} not reached within ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}

/** Waits until both kinds of inbound media grow (media really flows), returns the last counters. */
export async function expectMediaFlowing(page: Page, timeoutMs = 10_000): Promise<MediaBytes> {
  const first = await until(
    () => inboundBytes(page),
    (b) => b.audio > 0 && b.video > 0,
    timeoutMs,
    'inbound media',
  );
  return until(
    () => inboundBytes(page),
    (b) => b.audio > first.audio && b.video > first.video,
    timeoutMs,
    'growing inbound media',
  );
}

/** Opens B's popover (hover over B's chip in the activity stream) and clicks its call button. */
export async function callFromPopover(caller: Page, callee: UserSummary): Promise<void> {
  const chip = caller
    .locator('parley-user-chip', { has: caller.locator(`[href="/people/${callee.id}"]`) })
    .first();
  await chip.hover();
  const popover = caller.getByTestId('user-popover');
  await popover.waitFor();
  await popover.getByTestId('call-button').click();
}

export interface SelectedPair {
  /** `candidateType` of the local and remote candidates: host, srflx, prflx, relay. */
  local: string;
  remote: string;
  /** The ICE server a local relay (or srflx) candidate came from, else null. */
  url: string | null;
  remoteAddress: string;
  /** The local candidate's port (what this browser sends from). */
  localPort: number;
}

/** The selected ICE candidate pair of each live peer connection, with where the candidates came from. */
export function selectedCandidatePairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __parleyPcs?: RTCPeerConnection[] }).__parleyPcs ?? [];
    const pairs: SelectedPair[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      const byId = new Map<string, Record<string, unknown>>();
      report.forEach((s: Record<string, unknown>) => byId.set(String(s['id']), s));
      report.forEach((s: Record<string, unknown>) => {
        if (s['type'] !== 'transport' || !s['selectedCandidatePairId']) return;
        const pair = byId.get(String(s['selectedCandidatePairId']));
        const local = byId.get(String(pair?.['localCandidateId']));
        const remote = byId.get(String(pair?.['remoteCandidateId']));
        pairs.push({
          local: String(local?.['candidateType']),
          remote: String(remote?.['candidateType']),
          url: typeof local?.['url'] === 'string' ? local['url'] : null,
          remoteAddress: String(remote?.['address'] ?? remote?.['ip']),
          localPort: Number(local?.['port']),
        });
      });
    }
    return pairs;
  });
}
