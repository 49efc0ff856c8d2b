// `nx run connector-sdk:pack`: builds the published packages @parley/protocol and
// @parley/connector-sdk into dist/packages/<dir> (CommonJS + ES module builds by swc with the
// server's decorator settings, .d.ts by tsc, the library's package.json and README) and packs each
// with `npm pack` into dist/packages/<scope>-<name>-<version>.tgz. Bare imports stay bare: the SDK
// requires `@parley/protocol` as a dependency, like any package.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const out = path.join(root, 'dist/packages');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));

const PACKAGES = [
  { dir: 'libs/protocol', out: 'protocol' },
  { dir: 'libs/connector-sdk', out: 'connector-sdk', extra: ['bin'], versionFile: 'src/lib/version.ts' },
];

function run(command, args, cwd = root) {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const tmp = path.join(root, 'tmp/pack');
fs.rmSync(tmp, { recursive: true, force: true });
fs.mkdirSync(tmp, { recursive: true });
fs.mkdirSync(out, { recursive: true });

for (const pkg of PACKAGES) {
  const source = path.join(root, pkg.dir);
  const target = path.join(out, pkg.out);
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  if (pkg.versionFile) {
    const text = fs.readFileSync(path.join(source, pkg.versionFile), 'utf8');
    const stated = /SDK_VERSION = '([^']+)'/.exec(text)?.[1];
    if (stated !== manifest.version) {
      throw new Error(
        `${pkg.dir}: SDK_VERSION (${stated}) and package.json version (${manifest.version}) differ`,
      );
    }
  }
  fs.rmSync(target, { recursive: true, force: true });

  // JavaScript: one swc run per module format, specs and test-only files left out.
  for (const [format, type] of [
    ['cjs', { type: 'commonjs' }],
    ['esm', { type: 'es6', resolveFully: true }],
  ]) {
    const config = path.join(tmp, `${pkg.out}.${format}.swcrc`);
    writeJson(config, {
      ...swcrc,
      sourceMaps: false,
      jsc: { ...swcrc.jsc, baseUrl: undefined, paths: undefined },
      module: type,
    });
    run(
      bin('swc'),
      [
        'src',
        '-d',
        path.join(target, 'dist', format),
        '--strip-leading-paths',
        '--config-file',
        config,
        '--ignore',
        '**/*.spec.ts',
        '--quiet',
      ],
      source,
    );
    writeJson(path.join(target, 'dist', format, 'package.json'), {
      type: format === 'esm' ? 'module' : 'commonjs',
    });
  }

  // Declarations: tsc against the already built declarations of the packages it depends on.
  const tsconfig = path.join(tmp, `${pkg.out}.tsconfig.json`);
  writeJson(tsconfig, {
    extends: path.join(root, 'tsconfig.base.json'),
    compilerOptions: {
      declaration: true,
      emitDeclarationOnly: true,
      sourceMap: false,
      declarationMap: false,
      rootDir: path.join(source, 'src'),
      outDir: path.join(target, 'dist/types'),
      types: ['node', 'jest'],
      paths: { '@parley/protocol': [path.join(out, 'protocol/dist/types/index.d.ts')] },
    },
    include: [path.join(source, 'src/**/*.ts')],
    exclude: [path.join(source, 'src/**/*.spec.ts')],
  });
  run(bin('tsc'), ['-p', tsconfig]);

  delete manifest.devDependencies;
  writeJson(path.join(target, 'package.json'), manifest);
  for (const file of ['README.md', ...(pkg.extra ?? [])]) {
    const from = path.join(source, file);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(target, file), { recursive: true });
  }
  execFileSync('npm', ['pack', target, '--pack-destination', out, '--loglevel=error'], {
    cwd: root,
    stdio: 'ignore',
  });
  const tarball = `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`;
  console.log(
    `[pack] ${manifest.name}@${manifest.version} -> ${path.relative(root, path.join(out, tarball))}`,
  );
}
fs.rmSync(tmp, { recursive: true, force: true });
