/**
 * The built Parley server and portal for the end-to-end specs (the launcher is
 * `parley-process.ts`, shared with the benchmarks).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, launchParley } from './parley-process';

export { freePort };

const ROOT = resolve(__dirname, '../..');

export interface TestServer {
  url: string;
  dataDir: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startParley(env: Record<string, string> = {}): Promise<TestServer> {
  for (const [file, hint] of [
    ['dist/server/apps/server/src/main.js', 'npx nx run server:build'],
    ['dist/portal/browser/index.html', 'npx nx run portal:build'],
  ]) {
    if (!existsSync(join(ROOT, file)))
      throw new Error(`${file} is missing: run \`${hint}\` (./parley test does) first.`);
  }
  const server = await launchParley({
    root: ROOT,
    tmpPrefix: 'parley-e2e-',
    // Free media ports: the integration tests run side by side with these (tools/test.sh).
    env: { WEBRTC_RTC_PORT: '0', ...env },
  });
  return { url: server.url, dataDir: server.dataDir, output: server.output, stop: server.stop };
}
