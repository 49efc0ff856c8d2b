import type { ConnectorContext } from '@parley/connector-sdk';
import jwt from 'jsonwebtoken';
import { type JitsiClaims, type JitsiSettings, jitsiConnector } from './jitsi.connector';

const settings: JitsiSettings = {
  serviceUrl: 'https://meet.example.test/',
  appId: 'parley-app',
  appSecret: 'jitsi-app-secret-0123456789',
  roomPrefix: 'acme-',
  tokenTtlMinutes: 30,
};
const context: ConnectorContext<JitsiSettings> = {
  settings,
  publicUrl: 'https://parley.example.test',
  iceConfig: () => ({ iceServers: [], iceTransportPolicy: 'all', expiresAt: null }),
  logger: { log: jest.fn(), warn: jest.fn(), error: jest.fn() },
};
const user = {
  id: 'u-1',
  username: 'alice',
  displayName: 'Alice Martin',
  email: 'alice@example.test',
  avatarUrl: '/api/users/u-1/avatar.svg',
  isAdmin: false,
};
const call = {
  id: 'Call/42',
  target: { kind: 'room' as const, roomId: 'r-1' },
  ownerId: 'r-1',
  title: 'Design',
  createdAt: new Date().toISOString(),
};

describe('Jitsi connector', () => {
  it('signs a JWT that verifies with the app secret and carries the Jitsi claims', () => {
    const before = Math.floor(Date.now() / 1000);
    const info = jitsiConnector.joinInfo(call, user, context) as {
      url: string;
      jwt: string;
      room: string;
      domain: string;
    };
    const claims = jwt.verify(info.jwt, settings.appSecret, {
      algorithms: ['HS256'],
      audience: 'jitsi',
    }) as JitsiClaims;
    expect(claims).toMatchObject({
      aud: 'jitsi',
      iss: 'parley-app',
      sub: 'meet.example.test',
      room: 'acme-call-42',
      context: {
        user: {
          id: 'u-1',
          name: 'Alice Martin',
          email: 'alice@example.test',
          avatar: 'https://parley.example.test/api/users/u-1/avatar.svg',
        },
      },
    });
    expect(claims.exp - before).toBeGreaterThanOrEqual(30 * 60);
    expect(claims.exp - before).toBeLessThanOrEqual(30 * 60 + 2);
    expect(claims.nbf).toBeLessThanOrEqual(before);
    expect(() => jwt.verify(info.jwt, 'another-secret-entirely')).toThrow('invalid signature');
  });

  it('builds the meeting URL on the configured domain', () => {
    const info = jitsiConnector.joinInfo(call, user, context) as { url: string; jwt: string };
    const url = new URL(info.url);
    expect(url.origin).toBe('https://meet.example.test');
    expect(url.pathname).toBe('/acme-call-42');
    expect(url.searchParams.get('jwt')).toBe(info.jwt);
  });

  it('says what is missing', () => {
    expect(jitsiConnector.isConfigured({ ...settings, appSecret: '' })).toBe('App secret is not set');
    expect(jitsiConnector.isConfigured(settings)).toBe(true);
  });
});
