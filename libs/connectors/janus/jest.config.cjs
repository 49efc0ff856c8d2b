module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'connector-janus',
  rootDir: __dirname,
  testTimeout: 60000,
};
