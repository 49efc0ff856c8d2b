import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fixture plug-in package in a new temp folder, as `PARLEY_CONNECTORS_PATH` expects it
 * (`<folder>/node_modules/<name>`: package.json, `index.js` server half, `client.mjs` client half).
 * Answers the folder (pass it as PARLEY_CONNECTORS_PATH; remove it after the spec).
 */
export function writePluginFixture(name: string, serverHalf: string, clientHalf: string): string {
  const work = mkdtempSync(join(tmpdir(), 'parley-plugin-'));
  const dir = join(work, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name,
      version: '0.1.0',
      main: 'index.js',
      peerDependencies: { '@parley/connector-sdk': '^1.0.0' },
    }),
  );
  writeFileSync(join(dir, 'index.js'), serverHalf);
  writeFileSync(join(dir, 'client.mjs'), clientHalf);
  return work;
}
