// Guests by link (docs/guests.md), end to end with the built-in WebRTC connector: the host of
// Town Square's call makes a guest link in the call window; a person without an account (a fresh
// browser context) opens it, gives a name, waits in the lobby, is admitted, sends and receives
// media, cannot reach the room's chat (REST and socket), and is removed when the link is revoked.
// Also: a denied guest, an expired link, guests turned off by the admins. One server, one browser.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GUEST_API, type GuestLinkStatus, type RoomSummary } from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { CAPTURE_PEER_CONNECTIONS, until, type Person } from '../support/calls';
import {
  expectMediaFrom,
  groupPerson,
  joinFromPrejoin,
  launchChromiumForGroupCalls,
  roomByTitle,
} from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';
import { connectSocket, loginOverRest, type Reply, socketRequest } from '../support/sockets';

interface Guest {
  context: BrowserContext;
  page: Page;
}

describe('guests by link (lobby, built-in WebRTC)', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: Person;
  let square: RoomSummary;
  let callId: string;
  const guests: Guest[] = [];

  const activeWindow = (page: Page) => page.locator('[data-testid="call-window"][data-phase="active"]');
  const tile = (page: Page, userId: string) =>
    page.locator(`[data-testid="participant-tile"][data-user-id="${userId}"]`);

  /** A fresh context without an account opens `path` and asks to join as `name`. */
  async function guestKnocks(path: string, name: string): Promise<Guest> {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
    const page = await context.newPage();
    guests.push({ context, page });
    await page.goto(path);
    await page.getByTestId('guest-name').fill(name);
    await page.getByTestId('guest-join').click();
    await page.getByTestId('guest-waiting').waitFor({ timeout: 20_000 });
    return { context, page };
  }

  /** The host makes a guest link in the call window; answers its path. */
  async function createLink(): Promise<string> {
    await alice.page.getByTestId('guest-link-create').click({ timeout: 15_000 });
    const url = await alice.page.getByTestId('guest-link-url').inputValue({ timeout: 10_000 });
    return new URL(url).pathname;
  }

  /** The id of the waiting guest named `name`, as the host's lobby shows it. */
  async function waitingGuestId(name: string): Promise<string> {
    const row = alice.page.locator('[data-testid="lobby-guest"]', { hasText: name });
    await row.waitFor({ timeout: 15_000 });
    return (await row.getAttribute('data-guest-id')) as string;
  }

  /** A second socket of the guest (their cookie, the guest handshake), to try requests directly. */
  async function guestSocket(context: BrowserContext): Promise<Socket> {
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    return new Promise<Socket>((done, fail) => {
      const socket = io(server.url, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        auth: { guest: true },
        extraHeaders: { cookie },
      });
      socket.once('connect', () => done(socket));
      socket.once('connect_error', fail);
    });
  }

  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromiumForGroupCalls();
    alice = await groupPerson(browser, server.url, 'alice');
    square = await roomByTitle(alice.context, 'Town Square');
    await alice.page.goto(`/rooms/${square.id}`);
    await alice.page.getByTestId('chat-room').waitFor();
    await alice.page
      .locator('[data-call-slot="room-header"] [data-testid="call-button"]')
      .click({ timeout: 15_000 });
    await joinFromPrejoin(alice.page);
    await activeWindow(alice.page).waitFor({ timeout: 30_000 });
    callId = (await alice.page.getByTestId('call-window').getAttribute('data-call-id')) as string;
  }, 120_000);

  afterAll(async () => {
    for (const guest of guests) await guest.context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it('a guest waits in the lobby, is admitted, sends and receives media, cannot reach the chat, and is removed when the link is revoked', async () => {
    const path = await createLink();
    expect(path).toMatch(/^\/guest\/[\w-]+\.[\w-]+$/);
    const gina = await guestKnocks(path, 'Gina Guest');
    await alice.page.locator('[data-testid="lobby-waiting"][data-count="1"]').waitFor({ timeout: 15_000 });
    const ginaId = await waitingGuestId('Gina Guest');
    expect(ginaId).toMatch(/^guest-/);

    await alice.page.getByTestId('lobby-admit').click();
    await gina.page.getByTestId('guest-in-call').waitFor({ timeout: 20_000 });
    await activeWindow(gina.page).waitFor({ timeout: 30_000 });
    await tile(alice.page, ginaId).waitFor({ timeout: 20_000 });
    // Marked as a guest to the others.
    await alice.page
      .locator(`[data-testid="call-participant"][data-user-id="${ginaId}"] [data-testid="participant-guest"]`)
      .waitFor({ timeout: 10_000 });
    // Media both ways: the host receives the guest's audio and video, the guest the host's.
    await Promise.all([
      expectMediaFrom(alice.page, [ginaId], ['audio', 'video'], 60_000),
      expectMediaFrom(gina.page, [alice.user.id], ['audio', 'video'], 60_000),
    ]);
    // No chat for guests: the window offers none, REST has no session, the socket refuses.
    expect(await gina.page.getByTestId('call-chat-toggle').count()).toBe(0);
    const rest = await gina.context.request.get(`/api/rooms/${square.id}/messages`);
    expect(rest.status()).toBe(401);
    const socket = await guestSocket(gina.context);
    try {
      for (const [event, payload] of [
        ['room.send', { roomId: square.id, body: 'hello from a guest' }],
        ['call.recording.start', { callId }],
        ['call.room.join', { roomId: square.id }],
        ['call.host.mute', { callId }],
        ['call.guests.link', { callId }],
      ] as const) {
        const reply = (await socket.timeout(10_000).emitWithAck(event, payload)) as Reply<unknown>;
        expect(reply).toEqual({
          ok: false,
          error: { code: 'forbidden', message: `Guests cannot use ${event}` },
        });
      }
    } finally {
      socket.disconnect();
    }

    // Revoked: the guest leaves the call and is told why.
    await alice.page.getByTestId('guest-link-revoke').click();
    await gina.page
      .locator('[data-testid="guest-problem"][data-problem="revoked"]')
      .waitFor({ timeout: 20_000 });
    await until(
      () => tile(alice.page, ginaId).count(),
      (n) => n === 0,
      20_000,
      'the guest tile gone',
    );
    const status = (await (
      await gina.context.request.get(GUEST_API.link(path.slice('/guest/'.length)))
    ).json()) as GuestLinkStatus;
    expect(status).toMatchObject({ ok: false, problem: 'revoked' });
  }, 240_000);

  it('a denied guest is told the host did not let them in', async () => {
    const path = await createLink();
    const dan = await guestKnocks(path, 'Dan Denied');
    await waitingGuestId('Dan Denied');
    await alice.page.getByTestId('lobby-deny').click();
    const problem = dan.page.locator('[data-testid="guest-problem"][data-problem="denied"]');
    await problem.waitFor({ timeout: 15_000 });
    await expect(problem.textContent()).resolves.toMatch(/did not let you in/);
    await alice.page.locator('[data-testid="lobby-waiting"]').waitFor({ state: 'detached', timeout: 10_000 });
  }, 60_000);

  it('an expired link says so, and so does a link while the admins have turned guests off', async () => {
    // A short-lived link (the shortest the server allows), made over the host's own socket.
    const { token } = await loginOverRest(server.url, 'alice');
    const socket = await connectSocket(server.url, token);
    let linkToken: string;
    try {
      linkToken = (
        await socketRequest<{ token: string }>(socket, 'call.guests.link', { callId, expiresInSeconds: 10 })
      ).token;
    } finally {
      socket.disconnect();
    }
    const page = await (await browser.newContext({ baseURL: server.url })).newPage();
    await until(
      async () => ((await (await page.request.get(GUEST_API.link(linkToken))).json()) as GuestLinkStatus).ok,
      (ok) => !ok,
      30_000,
      'the link expired',
    );
    await page.goto(`/guest/${linkToken}`);
    const expired = page.locator('[data-testid="guest-problem"][data-problem="expired"]');
    await expired.waitFor({ timeout: 15_000 });
    await expect(expired.textContent()).resolves.toMatch(/expired/);

    // Guests off for the whole portal: a valid link's page says so (and works again once back on).
    const shown = await alice.page.getByTestId('guest-link-url').inputValue({ timeout: 10_000 });
    const path = new URL(shown).pathname;
    // The admins' switch, on the admin page's Guests tab (a second tab of Alice: her call stays).
    const admin = await alice.context.newPage();
    await admin.goto('/admin');
    await admin.getByTestId('admin-tab-guests').click({ timeout: 15_000 });
    const enabled = admin.getByTestId('guests-enabled');
    await expect(enabled.isChecked({ timeout: 10_000 })).resolves.toBe(true);
    const linkState = async () =>
      (await (
        await page.request.get(GUEST_API.link(path.slice('/guest/'.length)))
      ).json()) as GuestLinkStatus;
    await enabled.uncheck();
    try {
      await until(linkState, (st) => !st.ok && st.problem === 'disabled', 15_000, 'guests turned off');
      await page.goto(path);
      await page
        .locator('[data-testid="guest-problem"][data-problem="disabled"]')
        .waitFor({ timeout: 15_000 });
    } finally {
      await enabled.check();
      await until(linkState, (st) => st.ok, 15_000, 'guests turned on again');
      await admin.close();
    }
    await page.goto(path);
    await page.getByTestId('guest-name').waitFor({ timeout: 15_000 });
    await page.context().close();
  }, 90_000);
});
