// After `swc` compiled the server into dist/server: makes every workspace connector under
// libs/connectors resolvable by its npm name from dist/server, exactly like a package installed in
// node_modules. For each connector it copies package.json and the client half (*.mjs, not compiled;
// or the bundle its `build-client` target wrote to dist/connectors/<dir>/*.mjs) and links dist/server/node_modules/<name> -> dist/server/libs/connectors/<dir>.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const dist = path.join(root, 'dist/server');
const connectors = path.join(root, 'libs/connectors');

for (const dir of fs.readdirSync(connectors)) {
  const source = path.join(connectors, dir);
  const manifest = path.join(source, 'package.json');
  if (!fs.existsSync(manifest)) continue;
  const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const target = path.join(dist, 'libs/connectors', dir);
  fs.mkdirSync(path.join(target, 'src'), { recursive: true });
  fs.copyFileSync(manifest, path.join(target, 'package.json'));
  for (const file of fs.readdirSync(path.join(source, 'src'))) {
    if (file.endsWith('.mjs'))
      fs.copyFileSync(path.join(source, 'src', file), path.join(target, 'src', file));
  }
  const bundles = path.join(root, 'dist/connectors', dir);
  if (fs.existsSync(bundles)) {
    for (const file of fs.readdirSync(bundles)) {
      if (file.endsWith('.mjs')) fs.copyFileSync(path.join(bundles, file), path.join(target, 'src', file));
    }
  }
  const link = path.join(dist, 'node_modules', name);
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { force: true, recursive: true });
  fs.symlinkSync(path.relative(path.dirname(link), target), link, 'dir');
  console.log(`[build] ${name} -> ${path.relative(root, target)}`);
}
