// After `swc` compiled the server into dist/server: builds every workspace plug-in connector under
// libs/connectors (a folder with its own package.json) and makes it resolvable by its npm name from
// dist/server, exactly like a package installed in node_modules. For each plug-in it compiles src/
// with swc *without* the workspace path aliases, so its `require('@parley/connector-sdk')` stays a
// bare import answered at run time by the server's own SDK (provideSdkToPlugins), as for any third
// party's plug-in, into the folder its package.json `main` names (dist/ for a package whose own
// `npm run build` writes dist/, as a published one does); copies package.json and the client half
// (*.mjs, not compiled; or the bundle its `build-client` target wrote to
// dist/connectors/<dir>/*.mjs) into that folder and links
// dist/server/node_modules/<name> -> dist/server/libs/connectors/<dir>.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const dist = path.join(root, 'dist/server');
const connectors = path.join(root, 'libs/connectors');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
const pluginSwcrc = path.join(root, 'tmp/plugin.swcrc');
fs.mkdirSync(path.dirname(pluginSwcrc), { recursive: true });
fs.writeFileSync(
  pluginSwcrc,
  JSON.stringify({ ...swcrc, jsc: { ...swcrc.jsc, baseUrl: undefined, paths: undefined } }),
);

for (const dir of fs.readdirSync(connectors)) {
  const source = path.join(connectors, dir);
  const manifest = path.join(source, 'package.json');
  if (!fs.existsSync(manifest)) continue;
  const { name, main = 'src/index.js' } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const target = path.join(dist, 'libs/connectors', dir);
  const out = path.join(target, path.dirname(main));
  fs.rmSync(target, { recursive: true, force: true });
  execFileSync(
    path.join(root, 'node_modules/.bin/swc'),
    [
      'src',
      '-d',
      out,
      '--strip-leading-paths',
      '--config-file',
      pluginSwcrc,
      '--quiet',
      '--ignore',
      '**/*.spec.ts,**/testing.ts,**/testing/**,**/*.mjs,**/client/**',
    ],
    { cwd: source, stdio: 'inherit' },
  );
  fs.copyFileSync(manifest, path.join(target, 'package.json'));
  for (const file of fs.readdirSync(path.join(source, 'src'))) {
    if (file.endsWith('.mjs')) fs.copyFileSync(path.join(source, 'src', file), path.join(out, file));
  }
  const bundles = path.join(root, 'dist/connectors', dir);
  if (fs.existsSync(bundles)) {
    for (const file of fs.readdirSync(bundles)) {
      if (file.endsWith('.mjs')) fs.copyFileSync(path.join(bundles, file), path.join(out, file));
    }
  }
  const link = path.join(dist, 'node_modules', name);
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { force: true, recursive: true });
  fs.symlinkSync(path.relative(path.dirname(link), target), link, 'dir');
  console.log(`[build] ${name} -> ${path.relative(root, target)}`);
}
