// The Jitsi and Janus plug-ins built as a third party builds a connector (issue #14, acceptance 2):
// for each, in a temp folder outside the repository with only the plug-in's own package.json, its
// build tsconfig(s) and src/ (no spec files, no workspace tsconfig, paths or aliases) and the SDK
// tarballs from dist/packages: `npm install` (real npm, offline, the SDK from its tarballs and the
// rest from the npm cache that tools/connector-npm-cache.sh fills), `npm run build` (tsc against the
// packed SDK's .d.ts; Janus also bundles its client half with esbuild), `npm pack`; then both
// tarballs are installed into a PARLEY_CONNECTORS_PATH folder and the built server loads them from
// there: both providers on the admin API, no load error. Each copy gets a version of its own, so
// the admin API shows the copy from the folder was loaded, not the server build's linked one.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AdminProvidersResponse } from '@parley/protocol';
import { npmOffline, ok, requireSdkTarballs } from '../support/npm';
import { startParley, type TestServer } from '../support/parley-server';
import { loginOverRest } from '../support/sockets';

const ROOT = resolve(__dirname, '../..');
const PACKAGES = join(ROOT, 'dist/packages');
const TARBALLS = ['parley-protocol-1.0.0.tgz', 'parley-connector-sdk-1.0.0.tgz'];
/** npm and tsc on a loaded 2-core machine. */
const STEP_TIMEOUT_MS = 600_000;

const PLUGINS = [
  {
    dir: 'jitsi',
    type: 'jitsi',
    name: '@parley/connector-jitsi',
    built: ['dist/index.js', 'dist/client.mjs'],
  },
  {
    dir: 'janus',
    type: 'janus',
    name: '@parley/connector-janus',
    built: ['dist/index.js', 'dist/client.mjs'],
  },
] as const;
/** The version each temp copy is given: what the admin API must then show. */
const VERSION = '0.1.0-packed.1';

describe('the Jitsi and Janus plug-ins built against the packed SDK', () => {
  let work: string;
  let server: TestServer | undefined;

  beforeAll(() => {
    requireSdkTarballs(PACKAGES);
    work = mkdtempSync(join(tmpdir(), 'parley-plugins-packed-'));
  });

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const folder = (dir: string) => join(work, dir);
  const tarballOf = (name: string) =>
    join(work, `${name.replace(/^@/, '').replace('/', '-')}-${VERSION}.tgz`);

  it.each(PLUGINS)(
    'installs, builds with tsc and packs $name from its own sources',
    async ({ dir, name, built }) => {
      const source = join(ROOT, 'libs/connectors', dir);
      const target = folder(dir);
      mkdirSync(target);
      for (const file of ['package.json', 'tsconfig.build.json', 'tsconfig.client.json']) {
        if (existsSync(join(source, file))) cpSync(join(source, file), join(target, file));
      }
      cpSync(join(source, 'src'), join(target, 'src'), {
        recursive: true,
        filter: (from) => !/\.spec\.ts$|[/\\]tsconfig\.json$/.test(from),
      });
      await ok('npm', ['pkg', 'set', `version=${VERSION}`], target);
      // The SDK from its tarballs, not saved: package.json keeps its `^1.0.0` ranges.
      await ok(
        'npm',
        ['install', ...npmOffline, '--no-save', ...TARBALLS.map((file) => join(PACKAGES, file))],
        target,
      );
      expect(existsSync(join(target, 'node_modules/.bin/tsc'))).toBe(true);
      expect(existsSync(join(target, 'node_modules/@parley/connector-sdk/dist/types/index.d.ts'))).toBe(true);
      await ok('npm', ['run', 'build'], target);
      for (const file of built) expect(existsSync(join(target, file))).toBe(true);

      const output = await ok(
        'npm',
        ['pack', '--json', '--loglevel=error', '--pack-destination', work],
        target,
      );
      const [packed] = JSON.parse(output) as { filename: string; files: { path: string }[] }[];
      expect(join(work, packed.filename)).toBe(tarballOf(name));
      const files = packed.files.map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining(['package.json', ...built]));
      expect(files.filter((f) => !f.startsWith('dist/') && f !== 'package.json')).toEqual([]);
      expect(files.filter((f) => f.includes('.spec.'))).toEqual([]);
      const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as {
        peerDependencies: Record<string, string>;
      };
      expect(manifest.peerDependencies).toEqual({ '@parley/connector-sdk': '^1.0.0' });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'installs both tarballs into a PARLEY_CONNECTORS_PATH folder, and the server loads them from there',
    async () => {
      const plugins = folder('plugins');
      mkdirSync(plugins);
      writeFileSync(join(plugins, 'package.json'), JSON.stringify({ name: 'parley-plugins', private: true }));
      await ok('npm', ['install', ...npmOffline, ...PLUGINS.map((p) => tarballOf(p.name))], plugins);
      for (const { name } of PLUGINS) {
        expect(existsSync(join(plugins, 'node_modules', name, 'dist/client.mjs'))).toBe(true);
      }
      // The SDK is an optional peer: the server provides its own, npm installs no second copy.
      expect(existsSync(join(plugins, 'node_modules/@parley/connector-sdk'))).toBe(false);

      server = await startParley({
        PARLEY_CONNECTORS: PLUGINS.map((p) => p.name).join(','),
        PARLEY_CONNECTORS_PATH: plugins,
      });
      const alice = await loginOverRest(server.url, 'alice');
      const response = await fetch(`${server.url}/api/admin/providers`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(response.status).toBe(200);
      const listed = (await response.json()) as AdminProvidersResponse;
      expect(listed.loadErrors).toEqual([]);
      for (const { type, name } of PLUGINS) {
        expect(listed.providers.find((p) => p.type === type)).toMatchObject({
          source: { kind: 'package', name },
          version: VERSION,
        });
      }
    },
    STEP_TIMEOUT_MS,
  );
});
