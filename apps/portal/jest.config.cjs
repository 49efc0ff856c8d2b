// Unit tests of the portal: jest-preset-angular (ts-jest + Angular's JIT transforms) on jsdom,
// zoneless test environment (see src/test-setup.ts).
const path = require('node:path');
const { createCjsPreset } = require('jest-preset-angular/presets');

const root = path.join(__dirname, '../..');

module.exports = {
  ...createCjsPreset({ tsconfig: path.join(__dirname, 'tsconfig.spec.json') }),
  displayName: 'portal',
  rootDir: __dirname,
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    '^@parley/protocol$': path.join(root, 'libs/protocol/src/index.ts'),
    '^@parley/widget$': path.join(root, 'libs/widget/src/index.ts'),
    '^@parley/admin$': path.join(root, 'libs/admin/src/index.ts'),
  },
};
