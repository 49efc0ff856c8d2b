// A capability-less link-out provider in real Chromium (issue #14, acceptance 3): a fixture
// plug-in under PARLEY_CONNECTORS_PATH declares `capabilities: []` and `linkOut: 'frame'`, with a
// `prepare` (the provider's "create", counted) whose result its joinInfo puts into the meeting URL.
// Alice calls Bob through it from his profile and Bob answers (the built-in WebRTC provider is
// deactivated, so it is also the rooms' default): Parley rings and tracks the call, the window shows the meeting
// page (the URL from joinInfo) inside it and no mic/camera controls; the same in a group call of a
// room (no mic/camera/hand/screen/reactions). Every join of a call sees that call's one create.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { person, type Person } from '../support/calls';
import { roomByTitle, waitForActiveCall } from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';

const NAME = 'parley-connector-linkout-fixture';

const SERVER_HALF = `
const { ConnectorModule } = require('@parley/connector-sdk');
const { join } = require('node:path');
/** The creates of each call: one each, however many join at once. */
const creates = new Map();
exports.parleyConnector = ConnectorModule.register({
  type: 'linkout',
  title: 'Link Out',
  version: '0.1.0',
  description: 'Opens calls on the provider page (fixture).',
  supportedTargets: ['user', 'room'],
  capabilities: [],
  linkOut: 'frame',
  settingsSchema: { type: 'object', properties: { label: { type: 'string', title: 'Label', default: 'x' } } },
  isConfigured: () => true,
  async prepare(call) {
    creates.set(call.id, (creates.get(call.id) || 0) + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { meetingId: 'm-' + call.id, creates: creates.get(call.id) };
  },
  joinInfo: (call, user, { publicUrl, prepared }) => ({
    url: publicUrl + '/api/health?meeting=' + prepared.meetingId + '&creates=' + prepared.creates + '&user=' + user.id,
  }),
  clientModule: { path: join(__dirname, 'client.mjs') },
});
`;

const CLIENT_HALF = `let ready = false;
export default {
  init(ctx) { ready = false; if (!ctx || !ctx.provider) throw new Error('no context'); ready = true; },
  canCall(target) { return ready && (target.kind === 'user' || target.kind === 'room'); },
  open() { throw new Error('a link-out call is opened by the widget, not the client half'); },
};
`;

/** The controls a capability-less provider must not get. */
const MEDIA_CONTROLS = [
  'call-mute',
  'call-camera',
  'call-hand',
  'call-screen',
  'call-react',
  'call-mute-all',
];

describe('a capability-less link-out provider in the call window', () => {
  let work: string;
  let server: TestServer;
  let browser: Browser;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'parley-link-out-'));
    const dir = join(work, 'node_modules', NAME);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: NAME,
        version: '0.1.0',
        main: 'index.js',
        peerDependencies: { '@parley/connector-sdk': '^1.0.0' },
      }),
    );
    writeFileSync(join(dir, 'index.js'), SERVER_HALF);
    writeFileSync(join(dir, 'client.mjs'), CLIENT_HALF);
    server = await startParley({ PARLEY_CONNECTORS: NAME, PARLEY_CONNECTORS_PATH: work });
    browser = await launchChromium();
    alice = await person(browser, server.url, 'alice');
    // The fixture becomes the default provider: the built-in one is deactivated and the plug-in (new
    // plug-ins start inactive) switched on (alice is an admin).
    const off = await alice.context.request.put('/api/admin/providers/webrtc', { data: { active: false } });
    expect(off.status()).toBe(200);
    const on = await alice.context.request.put('/api/admin/providers/linkout', { data: { active: true } });
    expect(on.status()).toBe(200);
    bob = await person(browser, server.url, 'bob');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function controlsOf(page: Page): Promise<string[]> {
    return page
      .locator('[data-testid="call-window"] footer [data-testid]')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-testid') ?? ''));
  }

  async function meetingUrl(page: Page): Promise<URL> {
    const frame = page.getByTestId('call-link-out-frame');
    await frame.waitFor({ timeout: 15_000 });
    return new URL((await frame.getAttribute('src')) ?? '');
  }

  it('a one-to-one call rings, opens the meeting page in the window, with no mic or camera controls', async () => {
    await alice.page.goto(`/people/${bob.user.id}`);
    await alice.page
      .locator('[data-call-slot="profile-header"] [data-testid="call-button"][data-provider="linkout"]')
      .click({ timeout: 15_000 });
    await alice.page.getByTestId('call-window').waitFor();
    const toast = bob.page.getByTestId('incoming-call');
    await toast.waitFor({ timeout: 15_000 });
    await toast.getByTestId('incoming-call-answer').click();

    for (const who of [alice, bob]) {
      await waitForActiveCall(who.page, who.user.username);
      const url = await meetingUrl(who.page);
      expect(url.pathname).toBe('/api/health');
      expect(url.searchParams.get('user')).toBe(who.user.id);
      expect(url.searchParams.get('creates')).toBe('1'); // one prepare, for both joins
      const controls = await controlsOf(who.page);
      for (const id of MEDIA_CONTROLS) expect(controls).not.toContain(id);
      expect(controls).toContain('call-hangup');
    }
    const callId = await alice.page.getByTestId('call-window').getAttribute('data-call-id');
    expect((await meetingUrl(bob.page)).searchParams.get('meeting')).toBe(`m-${callId}`);

    await alice.page.getByTestId('call-hangup').click();
    await bob.page.getByTestId('call-end-message').waitFor({ timeout: 15_000 });
    const history = await alice.context.request.get('/api/calls/history');
    expect(JSON.stringify(await history.json())).toContain(String(callId));
  });

  it('a group call of a room: no mic, camera, hand, screen, reactions nor "Mute all"', async () => {
    for (const who of [alice, bob]) {
      const close = who.page.getByTestId('call-close');
      if ((await close.count()) > 0) await close.click();
    }
    const square = await roomByTitle(alice.context, 'Town Square');
    for (const who of [alice, bob]) {
      await who.page.goto(`/rooms/${square.id}`);
      await who.page.getByTestId('chat-room').waitFor();
    }
    await alice.page
      .locator('[data-call-slot="room-header"] [data-testid="call-button"]')
      .click({ timeout: 15_000 });
    await waitForActiveCall(alice.page, 'alice');
    await bob.page.getByTestId('call-banner-join').click({ timeout: 15_000 });
    await waitForActiveCall(bob.page, 'bob');
    for (const who of [alice, bob]) {
      expect((await meetingUrl(who.page)).searchParams.get('creates')).toBe('1'); // this call's one prepare
      const controls = await controlsOf(who.page);
      for (const id of MEDIA_CONTROLS) expect(controls).not.toContain(id);
      expect(controls).toEqual(expect.arrayContaining(['call-hangup', 'call-participants-toggle']));
    }
    for (const who of [alice, bob]) await who.page.getByTestId('call-hangup').click();
  });
});
