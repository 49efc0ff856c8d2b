module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'server-calls',
  rootDir: __dirname,
  testTimeout: 60000,
};
