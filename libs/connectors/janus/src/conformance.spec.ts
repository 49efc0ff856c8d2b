import { describeConnectorConformance } from '@parley/connector-sdk/testing';
import { startJanus, type TestJanus } from '@parley/test-support/janus';

// Against a real Janus (joinInfo waits for the VideoRoom room created through the admin API).
// The URLs are filled in once Janus runs (before any test of the kit).
const validSettings: Record<string, string | boolean> = {
  gatewayUrl: 'ws://127.0.0.1:1',
  adminUrl: 'ws://127.0.0.1:1',
  adminSecret: 'janus-admin-secret-conformance',
  roomAdminKey: 'janus-room-admin-key-conformance',
  tokenAuth: true,
};
let janus: TestJanus;

beforeAll(async () => {
  janus = await startJanus({
    adminSecret: String(validSettings['adminSecret']),
    roomAdminKey: String(validSettings['roomAdminKey']),
    tokenAuth: true,
  });
  validSettings['gatewayUrl'] = janus.wsUrl;
  validSettings['adminUrl'] = janus.adminUrl;
});
afterAll(() => janus?.dispose());

// Loaded by package name, exactly as Parley loads a plug-in.
describeConnectorConformance({
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => require('@parley/connector-janus'),
  validSettings,
  invalidSettings: [
    { settings: { ...validSettings, gatewayUrl: 'http://janus.example.test' }, field: 'gatewayUrl' },
    { settings: { ...validSettings, adminUrl: 'ftp://janus.example.test' }, field: 'adminUrl' },
    {
      settings: { gatewayUrl: 'ws://janus.example.test', adminUrl: 'ws://janus.example.test:7188' },
      field: 'adminSecret',
    },
    { settings: { ...validSettings, tokenAuth: 'yes' }, field: 'tokenAuth' },
    { settings: { ...validSettings, maxPublishers: 1 }, field: 'maxPublishers' },
  ],
});
