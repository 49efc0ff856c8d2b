// One-to-one calls through a real Janus gateway (Debian's janus: websockets transport + VideoRoom,
// media on the veth v0 of the private network namespace), with the Janus connector loaded as a
// plug-in (`PARLEY_CONNECTORS=@parley/connector-janus`), token auth on. Media checked with getStats.
// Its health gates its availability: a failing check hides its buttons on open pages.
import type { Browser, Page } from 'playwright-core';
import { API, type AdminProvider, type ProviderDescriptor } from '@parley/protocol';
import { launchChromium } from '../support/browser';
import { expectMediaFlowing, livePeerConnections, person, until, type Person } from '../support/calls';
import { startJanus, type TestJanus } from '../support/janus';
import { waitForActiveCall } from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';

/** Opens B's popover on A's page and picks `type` from the call button's pulldown. */
async function callWith(caller: Page, callee: Person, type: string): Promise<void> {
  const chip = caller
    .locator('parley-user-chip', { has: caller.locator(`[href="/people/${callee.user.id}"]`) })
    .first();
  await chip.hover();
  const popover = caller.getByTestId('user-popover');
  await popover.waitFor();
  await popover.getByTestId('call-provider-toggle').click();
  await popover.getByTestId(`call-provider-option-${type}`).click();
}

/** Whether Janus accepts a session with `token`. */
function tokenAccepted(url: string, token: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'janus-protocol');
    ws.onopen = () => ws.send(JSON.stringify({ janus: 'create', transaction: 't', token }));
    ws.onmessage = (event) => {
      ws.close();
      resolve((JSON.parse(String(event.data)) as { janus: string }).janus === 'success');
    };
    ws.onerror = () => reject(new Error('cannot connect to Janus'));
  });
}

describe('calls through a real Janus (plug-in connector)', () => {
  let janus: TestJanus;
  let server: TestServer;
  let browser: Browser;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    janus = await startJanus({ tokenAuth: true, adminSecret: 'e2e-janus-admin-secret' });
    server = await startParley({
      PARLEY_CONNECTORS: '@parley/connector-janus',
      CALL_RING_TIMEOUT_SECONDS: '20',
    });
    browser = await launchChromium();
    alice = await person(browser, server.url, 'alice');
    bob = await person(browser, server.url, 'bob');
    const res = await alice.context.request.put(API.adminProvider('janus'), {
      data: {
        active: true,
        settings: {
          gatewayUrl: janus.wsUrl,
          adminUrl: janus.adminUrl,
          adminSecret: janus.adminSecret,
          roomAdminKey: janus.roomAdminKey,
          tokenAuth: true,
        },
      },
    });
    expect(res.status()).toBe(200);
    const health = await (await alice.context.request.post(API.adminProviderCheck('janus'))).json();
    expect(health).toMatchObject({ status: 'ok', reason: expect.stringContaining('VideoRoom ready') });
    const post = await bob.context.request.post(API.posts, { data: { body: `Janus me ${Date.now()}` } });
    expect(post.ok()).toBe(true);
    await alice.page.reload();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await janus?.dispose();
  });

  async function answerAndConnect(): Promise<void> {
    const toast = bob.page.getByTestId('incoming-call');
    await toast.waitFor({ timeout: 10_000 });
    await toast.getByTestId('incoming-call-answer').click();
    for (const who of [alice, bob]) {
      await waitForActiveCall(who.page, who.user.username);
      await expectMediaFlowing(who.page, 20_000);
    }
  }

  async function tokens(): Promise<string[]> {
    const ws = new WebSocket(janus.adminUrl, 'janus-admin-protocol');
    const answer = await new Promise<{ data?: { tokens?: { token: string }[] } }>((resolve, reject) => {
      ws.onopen = () =>
        ws.send(JSON.stringify({ janus: 'list_tokens', transaction: 'l', admin_secret: janus.adminSecret }));
      ws.onmessage = (event) => resolve(JSON.parse(String(event.data)));
      ws.onerror = () => reject(new Error('admin API unreachable'));
    });
    ws.close();
    return (answer.data?.tokens ?? []).map((t) => t.token);
  }

  it('A picks Janus from the pulldown, B answers, audio and video flow both ways; tokens live only during the call', async () => {
    await callWith(alice.page, bob, 'janus');
    await alice.page.getByTestId('call-window').waitFor();
    await answerAndConnect();
    // The call window is the built-in one: same controls, the remote video inside the media container.
    for (const who of [alice, bob]) {
      for (const id of ['call-mute', 'call-camera', 'call-hangup', 'remote-video', 'self-view']) {
        await who.page.getByTestId(id).waitFor();
      }
    }
    const during = await tokens();
    expect(during).toHaveLength(2);
    for (const token of during) await expect(tokenAccepted(janus.wsUrl, token)).resolves.toBe(true);

    await alice.page.getByTestId('call-hangup').click();
    for (const who of [alice, bob]) {
      await who.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 10_000 });
      await until(
        () => livePeerConnections(who.page),
        (n) => n === 0,
        15_000,
        'peer connections closed',
      );
    }
    await until(tokens, (list) => list.length === 0, 15_000, 'tokens removed');
    for (const token of during) await expect(tokenAccepted(janus.wsUrl, token)).resolves.toBe(false);
  });

  // Janus's health gates its availability: a save re-checks it at once and the result is pushed.
  it("wrong admin secret: the admin page shows the failure, Janus leaves Bob's open page; fixing it brings it back", async () => {
    const set = (adminSecret: string) =>
      alice.context.request.put(API.adminProvider('janus'), {
        data: {
          settings: {
            gatewayUrl: janus.wsUrl,
            adminUrl: janus.adminUrl,
            adminSecret,
            roomAdminKey: { set: true },
            tokenAuth: true,
          },
        },
      });
    const check = async () => (await alice.context.request.post(API.adminProviderCheck('janus'))).json();
    const page = bob.page;
    await page.getByTestId('room-link-town-square').click();
    const slot = page.locator('[data-call-slot="room-header"]');
    /** Whether Janus is offered in the room header (main button or pulldown), menu closed after. */
    const offered = async (): Promise<boolean> => {
      if ((await slot.locator('[data-testid="call-button"][data-provider="janus"]').count()) > 0) return true;
      const toggle = slot.getByTestId('call-provider-toggle');
      if ((await toggle.count()) === 0) return false;
      await toggle.click();
      await slot.getByTestId('call-provider-menu').waitFor();
      const found = (await slot.getByTestId('call-provider-option-janus').count()) > 0;
      await toggle.click();
      await slot.getByTestId('call-provider-menu').waitFor({ state: 'detached' });
      return found;
    };
    await slot.getByTestId('call-button').waitFor();
    expect(await offered()).toBe(true);
    await page.evaluate(() => ((window as unknown as { parleyMarker: string }).parleyMarker = 'same page'));

    const saved = await set('not-the-secret');
    expect(saved.status()).toBe(200);
    const refused = {
      status: 'error',
      reason: 'Janus refused the Gateway Admin Secret (403 Unauthorized)',
    };
    // The save itself re-checked: its answer carries the failure, and so does the admin page.
    expect(((await saved.json()) as AdminProvider).health).toMatchObject(refused);
    await until(offered, (yes) => !yes, 15_000, 'Janus gone from Bob’s page');
    await expect(check()).resolves.toMatchObject(refused);
    const bad = (await (await alice.context.request.get(API.adminProvider('janus'))).json()) as AdminProvider;
    expect(bad.health).toMatchObject(refused);
    expect(bad.active).toBe(true);
    await alice.page.goto('/admin');
    await alice.page.locator('[data-testid="provider-health-janus"][data-status="error"]').waitFor();
    const listed = (await (await bob.context.request.get(API.providers)).json()) as ProviderDescriptor[];
    expect(listed.map((p) => p.type)).not.toContain('janus');

    const fixed = await set(janus.adminSecret);
    expect(fixed.status()).toBe(200);
    expect(((await fixed.json()) as AdminProvider).health).toMatchObject({ status: 'ok' });
    await until(offered, (yes) => yes, 15_000, 'Janus back on Bob’s page');
    await expect(check()).resolves.toMatchObject({ status: 'ok' });
    await alice.page.reload();
    await alice.page.locator('[data-testid="provider-health-janus"][data-status="ok"]').waitFor();
    // Still the same document: nothing reloaded.
    expect(await page.evaluate(() => (window as unknown as { parleyMarker?: string }).parleyMarker)).toBe(
      'same page',
    );
  });

  it('Janus stopped mid-call: both users get a "provider unavailable" end, nothing hangs', async () => {
    await alice.page.goto('/');
    await callWith(alice.page, bob, 'janus');
    await answerAndConnect();
    await janus.stop();
    // Each side's client half loses its Janus session and ends the call with the reason, which the
    // window shows as its end message before it closes.
    await Promise.all(
      [alice, bob].map(async (who) => {
        await who.page
          .locator('[data-testid="call-window"][data-phase="ended"]')
          .waitFor({ timeout: 10_000 });
        expect(await who.page.getByTestId('call-end-message').textContent()).toContain(
          'Janus, the call provider, is unavailable',
        );
        await who.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
        await until(
          () => livePeerConnections(who.page),
          (n) => n === 0,
          15_000,
          'peer connections closed',
        );
      }),
    );
    await janus.start();
  });
});
