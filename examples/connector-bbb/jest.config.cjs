// In this folder on its own (`npm install && npm test`): plain jest, no transform. In the Parley
// workspace (root jest.config.cjs), the SDK resolves to its sources through the workspace preset.
const inWorkspace = require('node:fs').existsSync(
  require('node:path').join(__dirname, '../../jest.preset.cjs'),
);
const preset = inWorkspace ? require('../../jest.preset.cjs') : {};
module.exports = {
  displayName: 'connector-bbb-example',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.js'],
  ...(inWorkspace ? { transform: preset.transform, moduleNameMapper: preset.moduleNameMapper } : {}),
};
