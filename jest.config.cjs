// Every jest project of the workspace in one run (./parley test runs this inside
// a private network namespace). `nx run <project>:test` runs one of them.
module.exports = {
  // Global: in a multi-project run jest ignores each project's own testTimeout.
  testTimeout: 60000,
  projects: [
    '<rootDir>/libs/protocol/jest.config.cjs',
    '<rootDir>/libs/server/directory/jest.config.cjs',
    '<rootDir>/libs/connector-sdk/jest.config.cjs',
    '<rootDir>/libs/server/conferencing/jest.config.cjs',
    '<rootDir>/libs/connectors/jitsi/jest.config.cjs',
    '<rootDir>/libs/connectors/janus/jest.config.cjs',
    '<rootDir>/libs/server/calls/jest.config.cjs',
    '<rootDir>/libs/connectors/webrtc/jest.config.cjs',
    '<rootDir>/examples/connector-bbb/jest.config.cjs',
    '<rootDir>/apps/server/jest.config.cjs',
    '<rootDir>/apps/portal/jest.config.cjs',
    '<rootDir>/libs/widget/jest.config.cjs',
    '<rootDir>/libs/admin/jest.config.cjs',
    '<rootDir>/tools/mediasoup-worker/jest.config.cjs',
    '<rootDir>/tools/eslint/jest.config.cjs',
    '<rootDir>/test/e2e/jest.config.cjs',
  ],
};
