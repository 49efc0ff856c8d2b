/**
 * Debian's Chromium driven by playwright-core, headless, with fake camera and
 * microphone, and the flags that keep it off the network.
 */
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM_BINARY = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * The browsers of these tests stand for users' own machines, which the server never competes
 * with. On one test machine they do: three Chromiums encoding fake video can starve the server's
 * real-time work (the recorder's ffmpeg) and the tests would measure that. So Chromium runs at a
 * lower priority (nice 10, inherited by every process it starts) through this wrapper: the server
 * gets the cores first, the browsers take the rest, as on a real deployment.
 */
function niceChromium(): string {
  if (!existsSync(CHROMIUM_BINARY)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_BINARY}: apt-get install chromium (tools/test-deps.sh does).`,
    );
  }
  const wrapper = join(mkdtempSync(join(tmpdir(), 'parley-chromium-')), 'chromium');
  writeFileSync(wrapper, `#!/bin/sh\nexec nice -n 10 ${JSON.stringify(CHROMIUM_BINARY)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

let wrapper: string | null = null;

/** The Chromium executable the tests launch (Debian's, at a lower priority). */
export function chromiumExecutable(): string {
  wrapper ??= niceChromium();
  return wrapper;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: CHROMIUM_ARGS });
}

/** A fresh browser context (own cookies) signed in as `username` through the login page. */
export async function signIn(
  browser: Browser,
  baseURL: string,
  username: string,
  password = 'parley',
  /** Scripts every page of the context runs before the app (added before the first page loads). */
  initScripts: string[] = [],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  for (const script of initScripts) await context.addInitScript(script);
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return { context, page };
}
