import { describeConnectorConformance } from '@parley/connector-sdk/testing';

// Loaded by package name, exactly as Parley loads a plug-in.
describeConnectorConformance({
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => require('@parley/connector-jitsi'),
  validSettings: {
    serviceUrl: 'https://meet.example.test',
    appId: 'parley',
    appSecret: 'jitsi-app-secret-0123456789',
  },
  invalidSettings: [
    {
      settings: { serviceUrl: 'not a url', appId: 'parley', appSecret: 'jitsi-app-secret-0123456789' },
      field: 'serviceUrl',
    },
    { settings: { serviceUrl: 'https://meet.example.test', appId: 'parley' }, field: 'appSecret' },
    {
      settings: {
        serviceUrl: 'https://meet.example.test',
        appId: 7,
        appSecret: 'jitsi-app-secret-0123456789',
      },
      field: 'appId',
    },
    {
      settings: {
        serviceUrl: 'https://meet.example.test',
        appId: 'p',
        appSecret: 'jitsi-app-secret-0123456789',
        roomPrefix: 'a b',
      },
      field: 'roomPrefix',
    },
  ],
});
