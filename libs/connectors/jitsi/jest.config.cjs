module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'connector-jitsi',
  rootDir: __dirname,
  testTimeout: 60000,
};
