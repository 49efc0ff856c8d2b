// @ts-check
'use strict';
/* global beforeAll, afterAll -- jest's globals */
// The conformance kit against a fake BigBlueButton server: `prepare` really calls `create`, and
// five participants joining at once must make exactly one `create` (the kit's lifecycle check).
const { describeConnectorConformance } = require('@parley/connector-sdk/testing');
const { startFakeBbb } = require('./fake-bbb');

const SECRET = 'bbb-shared-secret-0123456789';
/** @type {Awaited<ReturnType<typeof startFakeBbb>>} */
let fake;
// The kit reads the settings when its tests run: the fake server's URL is filled in before.
const validSettings = { serverUrl: 'http://127.0.0.1:9/bigbluebutton', sharedSecret: SECRET };

beforeAll(async () => {
  fake = await startFakeBbb(SECRET);
  validSettings.serverUrl = fake.url;
});
afterAll(() => fake?.close());

describeConnectorConformance({
  load: () => require('..'),
  validSettings,
  invalidSettings: [
    { settings: { serverUrl: 'not a url', sharedSecret: SECRET }, field: 'serverUrl' },
    { settings: { serverUrl: 'https://bbb.example.test/bigbluebutton' }, field: 'sharedSecret' },
    {
      settings: { serverUrl: 'https://bbb.example.test/bigbluebutton', sharedSecret: 'short' },
      field: 'sharedSecret',
    },
  ],
  lifecycle: { joins: 5, creates: () => fake.creates.length },
});
