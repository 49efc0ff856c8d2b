// Parley under its own Content-Security-Policy in real Chromium (#17, acceptance 3): the portal's
// pages, a one-to-one WebRTC call (the connector's client half import()ed, socket.io, media), the
// admin page, the widget's custom elements page and the API docs run without a single CSP
// violation; a page on an origin listed in FRAME_ANCESTORS can frame Parley, one on another origin
// cannot. Violations are caught where they happen: a `securitypolicyviolation` listener that an
// init script installs in every document (reported through a binding that survives navigations),
// and Chromium's own console messages about refused resources.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, ConsoleMessage, Frame, Page } from 'playwright-core';
import { API, type UserSummary } from '@parley/protocol';
import { launchChromium } from '../support/browser';
import {
  CAPTURE_PEER_CONNECTIONS,
  callFromPopover,
  connected,
  expectMediaFlowing,
  type Person,
} from '../support/calls';
import { waitForActiveCall } from '../support/group-calls';
import { startParley, type TestServer } from '../support/parley-server';

/** Reports every CSP violation of the document (and of its same-origin frames) to the test. */
const REPORT_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolation(\`\${e.effectiveDirective} blocked \${e.blockedURI || '(inline)'} on \${location.href} (\${e.sourceFile}:\${e.lineNumber})\`);
});`;

/** What Chromium prints when the policy refuses something. */
const CSP_CONSOLE = /Content Security Policy|Refused to (load|execute|apply|connect|frame|create)/i;

interface Watched extends Person {
  /** Every violation and CSP console message seen in this context so far. */
  violations: string[];
}

/** A page (the "host portal") that frames Parley's sign-in page. */
function framingSite(parleyUrl: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(
      `<!doctype html><title>Host portal</title><iframe src="${parleyUrl()}/login" width="800" height="600"></iframe>`,
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** A context that records violations from its first document on, signed in as `username`. */
async function watchedPerson(browser: Browser, baseURL: string, username: string): Promise<Watched> {
  const violations: string[] = [];
  const context: BrowserContext = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 800 },
  });
  await context.exposeBinding('__cspViolation', (_source, text: string) => violations.push(text));
  await context.addInitScript(REPORT_VIOLATIONS);
  await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
  context.on('console', (message: ConsoleMessage) => {
    if (CSP_CONSOLE.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('parley');
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await connected(page);
  const users = (await (await context.request.get(API.users)).json()) as UserSummary[];
  const user = users.find((u) => u.username === username);
  if (!user) throw new Error(`no user ${username}`);
  return { context, page, user, violations };
}

/** The first console message of `page` about framing from now on (an error after `timeoutMs`). */
function refusedFrame(page: Page, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no frame-ancestors refusal within ${timeoutMs} ms`)),
      timeoutMs,
    );
    page.on('console', (message) => {
      if (!/frame-ancestors/.test(message.text())) return;
      clearTimeout(timer);
      resolve(message.text());
    });
  });
}

describe('security headers: Parley under its Content-Security-Policy', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: Watched;
  let bob: Watched;
  let allowed: { server: Server; origin: string };
  let foreign: { server: Server; origin: string };

  beforeAll(async () => {
    allowed = await framingSite(() => server.url);
    foreign = await framingSite(() => server.url);
    server = await startParley({ CALL_RING_TIMEOUT_SECONDS: '20', FRAME_ANCESTORS: allowed.origin });
    browser = await launchChromium();
    alice = await watchedPerson(browser, server.url, 'alice');
    bob = await watchedPerson(browser, server.url, 'bob');
    // Bob posts, so his chip (and its call button) is on Alice's activity stream.
    const res = await bob.context.request.post(API.posts, { data: { body: `CSP check ${Date.now()}` } });
    expect(res.ok()).toBe(true);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    for (const site of [allowed, foreign]) await new Promise((done) => site?.server.close(done));
  });

  it('sends the policy on the portal page', async () => {
    const res = await alice.context.request.get('/');
    const csp = res.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`frame-ancestors 'self' ${allowed.origin}`);
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
  });

  /** Runs one part of the tour, then checks that it caused no violation (a failure lists those seen). */
  async function part(what: string, run: () => Promise<void>): Promise<void> {
    const seen = () => JSON.stringify({ alice: alice.violations, bob: bob.violations });
    try {
      await run();
    } catch (error) {
      throw new Error(`${what}: ${(error as Error).message}\nCSP violations so far: ${seen()}`);
    }
    expect({ after: what, alice: alice.violations, bob: bob.violations }).toEqual({
      after: what,
      alice: [],
      bob: [],
    });
  }

  it('the portal, a call, the admin page, the custom elements and the API docs work with no violation', async () => {
    const toast = bob.page.getByTestId('incoming-call');

    await part('the portal: a room, a profile, the activity stream', async () => {
      await alice.page.getByTestId('room-link-town-square').click();
      await alice.page.waitForURL(/\/rooms\//);
      await alice.page.goto(`/people/${bob.user.id}`);
      await alice.page.goto('/');
      await connected(alice.page);
    });

    await part('a call (client half import()ed, socket.io, media both ways, hang-up)', async () => {
      await callFromPopover(alice.page, bob.user);
      await toast.waitFor({ timeout: 15_000 });
      await toast.getByTestId('incoming-call-answer').click();
      for (const who of [alice, bob]) {
        await waitForActiveCall(who.page, who.user.username);
        await expectMediaFlowing(who.page, 15_000);
      }
      await alice.page.getByTestId('call-hangup').click();
      for (const who of [alice, bob]) {
        await who.page.getByTestId('call-window').waitFor({ state: 'detached', timeout: 15_000 });
      }
    });

    await part('the admin page', async () => {
      await alice.page.goto('/admin');
      await alice.page.getByTestId('admin-page').waitFor();
    });

    await part('the custom elements page (its call button rings Bob)', async () => {
      await alice.page.goto('/embed-demo.html');
      await alice.page
        .locator(`parley-call-button[user-id="${bob.user.id}"] [data-testid="call-button"]`)
        .click({ timeout: 15_000 });
      await toast.waitFor({ timeout: 15_000 });
      await alice.page.getByTestId('call-cancel').click();
      await toast.waitFor({ state: 'detached', timeout: 15_000 });
    });

    await part('the API docs (Swagger UI)', async () => {
      await alice.page.goto('/api/docs');
      await alice.page.locator('.swagger-ui .information-container').waitFor({ timeout: 15_000 });
      // Leave the page: whatever it still reported has reached the test.
      await alice.page.goto('/');
      await connected(alice.page);
    });
  });

  it('a page on an origin in FRAME_ANCESTORS frames Parley', async () => {
    const page = await browser.newPage();
    await page.goto(allowed.origin);
    const frame = await parleyFrame(page);
    await frame.getByTestId('login-username').waitFor({ timeout: 15_000 });
    await page.context().close();
  });

  it('a page on another origin cannot frame Parley', async () => {
    const page = await browser.newPage();
    const refused = refusedFrame(page);
    await page.goto(foreign.origin);
    await expect(refused).resolves.toContain(`frame-ancestors 'self' ${allowed.origin}`);
    // Chromium replaced the frame's document with its error page: nothing of Parley in it.
    const frame = await parleyFrame(page);
    expect(await frame.getByTestId('login-username').count()).toBe(0);
    expect(frame.url()).not.toContain('/login');
    await page.context().close();
  });
});

/** The page's one iframe, once it has committed a document (Parley's, or Chromium's error page). */
async function parleyFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('iframe').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('the host page has no iframe');
  await frame.waitForLoadState('load');
  return frame;
}
