// Shared jest settings for the Node-side projects: SWC compiles TypeScript with
// the same decorator settings as the server build (.swcrc), and the tsconfig
// path aliases map to the libraries' sources.
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
const { paths } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(paths)) {
  if (alias.endsWith('/*')) {
    // `@parley/test-support/postgres` -> test/support/postgres
    moduleNameMapper[`^${alias.slice(0, -2).replace('/', '\\/')}\\/(.*)$`] =
      path.join(root, target.slice(0, -1)) + '$1';
  } else {
    moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = path.join(root, target);
  }
}

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { ...swcrc, jsc: { ...swcrc.jsc, baseUrl: root, paths: undefined }, swcrc: false },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec|test).ts'],
};
