// Unit tests of the widget: jest-preset-angular on jsdom, zoneless (see src/test-setup.ts).
const path = require('node:path');
const { createCjsPreset } = require('jest-preset-angular/presets');

const root = path.join(__dirname, '../..');

module.exports = {
  ...createCjsPreset({ tsconfig: path.join(__dirname, 'tsconfig.spec.json') }),
  displayName: 'widget',
  rootDir: __dirname,
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    '^@parley/protocol$': path.join(root, 'libs/protocol/src/index.ts'),
  },
};
