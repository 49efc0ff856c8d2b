module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'connector-sdk',
  rootDir: __dirname,
  testTimeout: 30000,
};
