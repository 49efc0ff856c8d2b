module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'server-conferencing',
  rootDir: __dirname,
  testTimeout: 60000,
};
