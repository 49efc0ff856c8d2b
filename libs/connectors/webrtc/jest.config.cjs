module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'connector-webrtc',
  rootDir: __dirname,
  testTimeout: 60000,
  // The browser half (src/client) is tested by its own tooling (the e2e specs); its DOM-free
  // call-quality logic has a unit spec here.
  testPathIgnorePatterns: ['/node_modules/', '/src/client/(?!quality\\.spec\\.ts$)'],
};
