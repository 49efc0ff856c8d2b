// Rooms by slug and IM accounts in real Chromium (issue #16). A fixture link-out plug-in under
// PARLEY_CONNECTORS_PATH declares an IM field ("Dial number") and puts the callee's account it is
// handed (`call.imAccounts`) into its meeting URL. Alice opens a room and its permanent call link
// by slug; Bob's IM account is missing, so Alice's pulldown entry for the plug-in is disabled with
// "Bob Nguyen has no Dial number"; Bob sets it on his profile (an invalid value is refused with
// the reason); Alice sees it on his profile, the entry is enabled, and her call hands it over.
import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { person, type Person } from '../support/calls';
import { waitForActiveCall } from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';
import { writePluginFixture } from '../support/plugin-fixture';

const NAME = 'parley-connector-dial-fixture';

const SERVER_HALF = `
const { ConnectorModule } = require('@parley/connector-sdk');
const { join } = require('node:path');
exports.parleyConnector = ConnectorModule.register({
  type: 'dial',
  title: 'Dial',
  version: '0.1.0',
  description: 'Dials the callee (fixture).',
  supportedTargets: ['user'],
  capabilities: [],
  linkOut: 'frame',
  imAccount: { label: 'Dial number', pattern: '^\\\\+[0-9]{6,15}$', placeholder: '+15550100' },
  settingsSchema: { type: 'object', properties: {} },
  isConfigured: () => true,
  joinInfo: (call, user, { publicUrl }) => ({
    url: publicUrl + '/api/health?callee=' + encodeURIComponent((call.imAccounts || {})[call.target.userId] || ''),
  }),
  clientModule: { path: join(__dirname, 'client.mjs') },
});
`;

const CLIENT_HALF = `export default {
  init() {},
  canCall(target) { return target.kind === 'user'; },
  open() { throw new Error('a link-out call is opened by the widget'); },
};
`;

describe('rooms by slug, IM accounts on profiles and in the call pulldown', () => {
  let work: string;
  let server: TestServer;
  let browser: Browser;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    work = writePluginFixture(NAME, SERVER_HALF, CLIENT_HALF);
    server = await startParley({ PARLEY_CONNECTORS: NAME, PARLEY_CONNECTORS_PATH: work });
    browser = await launchChromium();
    alice = await person(browser, server.url, 'alice');
    // Whatever the default for new plug-ins, Dial is active beside the built-in provider (alice is an admin).
    const on = await alice.context.request.put('/api/admin/providers/dial', { data: { active: true } });
    expect(on.status()).toBe(200);
    bob = await person(browser, server.url, 'bob');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('opens a room and its call link by slug, and links rooms by slug', async () => {
    const { page } = alice;
    await page.goto('/rooms/town-square');
    await page.getByTestId('chat-room').getByRole('heading', { name: 'Town Square' }).waitFor();
    await expect(page.getByTestId('room-link-town-square').getAttribute('href')).resolves.toBe(
      '/rooms/town-square',
    );

    await page.goto('/rooms/town-square/call');
    await waitForActiveCall(page, 'alice');
    await page.waitForURL(/\/rooms\/town-square$/);
    await page.getByTestId('call-hangup').click();
    // The window either goes or stays with its end message and a Close button.
    await page
      .locator('[data-testid="call-window"][data-phase="ended"], body:not(:has([data-testid="call-window"]))')
      .first()
      .waitFor({ timeout: 15_000 });
    const close = page.getByTestId('call-close');
    if ((await close.count()) > 0) await close.click();

    await page.goto('/rooms/no-such-room');
    await expect(page.getByRole('alert').textContent({ timeout: 10_000 })).resolves.toContain(
      'Room "no-such-room" not found',
    );
  }, 90_000);

  it("disables a provider Bob has no account for, lets Bob set it, and hands it to the provider's call", async () => {
    const slot = alice.page.locator('[data-call-slot="profile-header"]');
    const option = alice.page.getByTestId('call-provider-option-dial');
    await alice.page.goto(`/people/${bob.user.id}`);
    await slot.getByTestId('call-provider-toggle').click({ timeout: 15_000 });
    // Disabled once Bob's accounts are loaded (the menu may open just before).
    const disabled = alice.page.locator('[data-testid="call-provider-option-dial"][disabled]');
    await disabled.waitFor({ timeout: 10_000 });
    await expect(disabled.getAttribute('title')).resolves.toBe('Bob Nguyen has no Dial number');
    await alice.page.keyboard.press('Escape');

    // Bob's own profile: the pulldown lists Dial's field; a wrong value is refused with the reason.
    await bob.page.goto(`/people/${bob.user.id}`);
    const section = bob.page.getByTestId('im-accounts');
    await section.getByRole('heading', { name: 'IM accounts' }).waitFor();
    await expect(section.getByTestId('im-account-provider').inputValue()).resolves.toBe('dial');
    const value = section.getByTestId('im-account-value');
    await value.fill('555 0123');
    await section.getByTestId('im-account-save').click();
    await expect(section.getByTestId('im-account-error').textContent()).resolves.toContain(
      '"555 0123" is not a valid Dial number (for example +15550100)',
    );
    await value.fill('+15550123');
    await section.getByTestId('im-account-save').click();
    await expect(
      section.getByTestId('im-account-dial').getByTestId('im-account-value-shown').textContent(),
    ).resolves.toBe('+15550123');

    // Alice sees it on Bob's profile; the entry is enabled and the call hands it to the provider.
    await alice.page.reload();
    await expect(
      alice.page.getByTestId('im-account-dial').getByTestId('im-account-value-shown').textContent(),
    ).resolves.toBe('+15550123');
    await slot.getByTestId('call-provider-toggle').click({ timeout: 15_000 });
    await option.click();
    const toast = bob.page.getByTestId('incoming-call');
    await toast.getByTestId('incoming-call-answer').click({ timeout: 15_000 });
    await waitForActiveCall(alice.page, 'alice');
    const frame = alice.page.getByTestId('call-link-out-frame');
    await frame.waitFor({ timeout: 15_000 });
    const url = new URL((await frame.getAttribute('src')) ?? '', server.url);
    expect(url.searchParams.get('callee')).toBe('+15550123');
    await alice.page.getByTestId('call-hangup').click();
  }, 90_000);
});
