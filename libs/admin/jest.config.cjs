// Unit tests of the admin page: jest-preset-angular on jsdom, zoneless (like the portal's).
const path = require('node:path');
const { createCjsPreset } = require('jest-preset-angular/presets');

const root = path.join(__dirname, '../..');

module.exports = {
  ...createCjsPreset({ tsconfig: path.join(__dirname, 'tsconfig.spec.json') }),
  displayName: 'admin',
  rootDir: __dirname,
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    '^@parley/protocol$': path.join(root, 'libs/protocol/src/index.ts'),
  },
};
