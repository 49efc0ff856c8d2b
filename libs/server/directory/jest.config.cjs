module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'server-directory',
  rootDir: __dirname,
  testTimeout: 60000,
};
