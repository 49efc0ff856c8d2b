module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'connector-webrtc',
  rootDir: __dirname,
  testTimeout: 60000,
  // The browser half (src/client) is tested by its own tooling.
  testPathIgnorePatterns: ['/node_modules/', '/src/client/'],
};
