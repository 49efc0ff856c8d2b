/**
 * The sign-in and session findings of #17 replayed against the real app (temp SQLite, no WebRTC):
 * login throttling, no demo seed in production (first-admin setup instead), logout revoking the
 * session on REST and socket, no token readable by scripts, and CSRF / cross-site WebSocket.
 * Waits on events and bounded polling only.
 */
import { Logger } from '@nestjs/common';
import type { AuditEntry, ChatMessage, RoomSummary, SessionInfo, SessionResponse } from '@parley/protocol';
import { API, SESSION_COOKIE } from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp, until } from './testing';

const PORTAL = 'https://portal.example.com';
const EVIL = 'https://evil.example';

interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

function client(t: TestApp) {
  const sockets: Socket[] = [];
  const host = new URL(t.base).host;

  async function call<T>(
    path: string,
    options: {
      method?: string;
      json?: unknown;
      raw?: { type: string; body: string };
      token?: string;
      cookie?: string;
      origin?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    if (options.raw) {
      headers['content-type'] = options.raw.type;
      body = options.raw.body;
    }
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.cookie) headers['cookie'] = options.cookie;
    if (options.origin) headers['origin'] = options.origin;
    const response = await fetch(t.base + path, { method: options.method ?? 'GET', headers, body });
    const text = await response.text();
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    return {
      status: response.status,
      body: (isJson ? JSON.parse(text) : text) as T,
      headers: response.headers,
    };
  }

  const login = (username: string, password = 'parley', origin?: string) =>
    call<SessionResponse>(API.login, { method: 'POST', json: { username, password }, origin });

  /** The `parley_session=…` pair of a sign-in's Set-Cookie. */
  const cookieOf = (reply: Reply<unknown>) => (reply.headers.get('set-cookie') ?? '').split(';')[0];

  /** A socket handshake: resolves with the connected socket, rejects with the refusal. */
  function connect(auth: { token?: string; cookie?: string; origin?: string }): Promise<Socket> {
    const extraHeaders: Record<string, string> = {};
    if (auth.cookie) extraHeaders['cookie'] = auth.cookie;
    if (auth.origin) extraHeaders['origin'] = auth.origin;
    const socket = io(t.base, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: auth.token ? { token: auth.token } : {},
      extraHeaders,
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (error) => reject(error));
    });
  }

  return { call, login, cookieOf, connect, host, closeSockets: () => sockets.forEach((s) => s.disconnect()) };
}

describe('sign-in and session security (integration)', () => {
  describe('development defaults', () => {
    let t: TestApp;
    let c: ReturnType<typeof client>;
    const warnings: unknown[] = [];

    beforeAll(async () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
        warnings.push(message);
      });
      // A window long enough for ten password checks on a loaded machine (each is a hash).
      t = await startTestApp({
        WEBRTC_ENABLED: 'false',
        LOGIN_WINDOW_SECONDS: '12',
        ALLOWED_ORIGINS: PORTAL,
      });
      c = client(t);
    });

    afterAll(async () => {
      c?.closeSockets();
      await t?.close();
      jest.restoreAllMocks();
    });

    it('throttles sign-in per username and IP: the 11th attempt gets 429 with Retry-After, the right password works after the window', async () => {
      for (let i = 0; i < 10; i++) {
        expect((await c.login('bob', `wrong-${i}`)).status).toBe(401);
      }
      const refused = await c.login('bob', 'parley');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((refused.body as unknown as { message: string }).message).toMatch(
        /^Too many sign-in attempts for this account from your address: try again in \d+ s$/,
      );
      // Another account from the same address is not affected.
      expect((await c.login('carol')).status).toBe(200);
      expect(warnings).toContainEqual(
        expect.objectContaining({ event: 'auth.login_failed', username: 'bob', reason: 'wrong_password' }),
      );
      expect(warnings).toContainEqual(
        expect.objectContaining({ event: 'auth.login_throttled', username: 'bob' }),
      );

      const after = await until(
        'the throttling window to pass',
        async () => {
          const reply = await c.login('bob');
          return reply.status === 429 ? undefined : reply;
        },
        300,
      );
      expect(after.status).toBe(200);
      expect(after.body.user.username).toBe('bob');
    });

    it('records failed sign-ins in the admin audit log (who was tried, from where, why; never the password)', async () => {
      expect((await c.login('dave', 'not-his-password')).status).toBe(401);
      expect((await c.login('nobody-by-this-name', 'whatever-password')).status).toBe(401);
      const admin = await c.login('alice');
      expect(admin.status).toBe(200);
      const audit = await c.call<AuditEntry[]>(API.adminAudit, { token: admin.body.token });
      expect(audit.status).toBe(200);
      const failed = audit.body.filter((e) => e.action === 'auth.sign_in_failed');
      expect(failed).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            target: 'user dave',
            details: expect.objectContaining({
              kind: 'password',
              username: 'dave',
              reason: 'wrong_password',
            }),
          }),
          expect.objectContaining({
            target: 'user nobody-by-this-name',
            details: expect.objectContaining({ reason: 'unknown_user' }),
          }),
        ]),
      );
      expect(typeof failed[0].details['ip']).toBe('string');
      expect(JSON.stringify(audit.body)).not.toContain('not-his-password');
    });

    it('refuses a REST body with a prototype key at any depth (400 naming it), storing nothing', async () => {
      const { token } = (await c.login('carol')).body;
      const before = (await c.call<{ id: string }[]>(API.posts, { token })).body.length;
      for (const body of [
        '{"__proto__": {"isAdmin": true}, "body": "half of me would be stored"}',
        '{"body": "hello", "constructor": {"prototype": {}}}',
      ]) {
        const refused = await c.call<{ message: string[] }>(API.posts, {
          method: 'POST',
          token,
          raw: { type: 'application/json', body },
        });
        expect(refused.status).toBe(400);
        expect(refused.body.message).toEqual([
          expect.stringMatching(/^property (__proto__|constructor) should not exist$/),
        ]);
      }
      expect((await c.call<{ id: string }[]>(API.posts, { token })).body).toHaveLength(before);
    });

    it('revokes the session at logout: the token gets 401, the handshake is refused, open sockets close', async () => {
      const { body } = await c.login('dave');
      const token = body.token;
      const open = await c.connect({ token });
      const closed = new Promise<string>((resolve) => open.once('disconnect', (reason) => resolve(reason)));
      expect((await c.call(API.session, { token })).status).toBe(200);

      expect((await c.call(API.logout, { method: 'POST', token })).status).toBe(204);
      expect(await closed).toBe('io server disconnect');
      expect((await c.call(API.session, { token })).status).toBe(401);
      expect((await c.call(API.users, { token })).status).toBe(401);
      await expect(c.connect({ token })).rejects.toThrow('unauthorized');

      // The same through the cookie, and another session of the same user stays signed in.
      const other = await c.login('dave');
      const browser = await c.login('dave', 'parley', t.base);
      const cookie = c.cookieOf(browser);
      expect((await c.call(API.session, { cookie })).status).toBe(200);
      expect((await c.call(API.logout, { method: 'POST', cookie, origin: t.base })).status).toBe(204);
      expect((await c.call(API.session, { cookie })).status).toBe(401);
      await expect(c.connect({ cookie, origin: t.base })).rejects.toThrow('unauthorized');
      expect((await c.call(API.session, { token: other.body.token })).status).toBe(200);
    });

    it('never hands the session token to scripts: /api/auth/session and browser sign-ins carry no token', async () => {
      const browser = await c.login('erin', 'parley', t.base);
      expect(browser.status).toBe(200);
      expect(browser.body).not.toHaveProperty('token');
      expect(browser.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+;.*HttpOnly`));
      const cookie = c.cookieOf(browser);
      const session = await c.call<SessionInfo>(API.session, { cookie });
      expect(session.status).toBe(200);
      expect(session.body.user.username).toBe('erin');
      expect(session.body).not.toHaveProperty('token');
      expect(Date.parse(session.body.expiresAt)).toBeGreaterThan(Date.now());
      // A client that is not a browser (no Origin) gets a bearer token, and the socket takes it.
      const script = await c.login('erin');
      expect(typeof script.body.token).toBe('string');
      const byBearer = await c.call<SessionInfo>(API.session, { token: script.body.token });
      expect(byBearer.body).not.toHaveProperty('token');
      (await c.connect({ token: script.body.token })).disconnect();
    });

    it('gives a non-browser client a short-lived bearer token: an hour by default, refused as a cookie, revoked at logout', async () => {
      const script = await c.login('frank');
      expect(script.status).toBe(200);
      const lifetime = Date.parse(script.body.expiresAt) - Date.now();
      expect(lifetime).toBeGreaterThan(55 * 60_000);
      expect(lifetime).toBeLessThanOrEqual(60 * 60_000);
      // The browser cookie set by the same answer lives for the session (12 h).
      const cookieExpires = /Expires=([^;]+)/.exec(script.headers.get('set-cookie') ?? '')?.[1] ?? '';
      expect(Date.parse(cookieExpires) - Date.now()).toBeGreaterThan(11 * 3600_000);

      const token = script.body.token;
      expect((await c.call(API.session, { token })).status).toBe(200);
      // Planted as the session cookie, the bearer token is nobody.
      expect((await c.call(API.session, { cookie: `${SESSION_COOKIE}=${token}` })).status).toBe(401);
      await expect(c.connect({ cookie: `${SESSION_COOKIE}=${token}` })).rejects.toThrow('unauthorized');

      expect((await c.call(API.logout, { method: 'POST', token })).status).toBe(204);
      expect((await c.call(API.session, { token })).status).toBe(401);
      // The cookie of the same sign-in belonged to the same session: revoked with it.
      expect((await c.call(API.session, { cookie: c.cookieOf(script) })).status).toBe(401);
    });

    it('refuses cross-site state changes and non-JSON bodies, and cross-site socket handshakes', async () => {
      const browser = await c.login('frank', 'parley', t.base);
      const cookie = c.cookieOf(browser);
      const rooms = await c.call<RoomSummary[]>(API.rooms, { cookie });
      const room = rooms.body.find((r) => r.name === 'town-square');
      if (!room) throw new Error('no town-square room');
      const path = API.roomMessages(room.id);

      const foreign = await c.call<{ message: string }>(path, {
        method: 'POST',
        json: { body: 'from evil' },
        cookie,
        origin: EVIL,
      });
      expect(foreign.status).toBe(403);
      expect(foreign.body.message).toMatch(/Origin https:\/\/evil\.example is not allowed/);
      expect(
        (await c.call(path, { method: 'POST', json: { body: 'x' }, cookie, origin: 'null' })).status,
      ).toBe(403);
      for (const type of [
        'application/x-www-form-urlencoded',
        'text/plain',
        'multipart/form-data; boundary=x',
      ]) {
        const form = await c.call(path, {
          method: 'POST',
          raw: { type, body: 'body=from+a+form' },
          cookie,
          origin: t.base,
        });
        expect(form.status).toBe(415);
      }
      expect(
        (await c.call(API.myPresence, { method: 'PUT', json: { presence: 'dnd' }, cookie, origin: EVIL }))
          .status,
      ).toBe(403);
      expect(
        (await c.call(API.posts, { method: 'POST', json: { body: 'x' }, cookie, origin: EVIL })).status,
      ).toBe(403);
      const messages = await c.call<ChatMessage[]>(path, { cookie });
      expect(messages.body.map((m) => m.body)).not.toContain('from evil');

      // The same-origin portal and an allowed embedding portal still work.
      const own = await c.call<ChatMessage>(path, {
        method: 'POST',
        json: { body: 'same origin' },
        cookie,
        origin: t.base,
      });
      expect(own.status).toBe(201);
      const embedded = await c.call(path, {
        method: 'POST',
        json: { body: 'embedded' },
        cookie,
        origin: PORTAL,
      });
      expect(embedded.status).toBe(201);
      expect(embedded.headers.get('access-control-allow-origin')).toBe(PORTAL);

      await expect(c.connect({ cookie, origin: EVIL })).rejects.toThrow();
      (await c.connect({ cookie, origin: t.base })).disconnect();
      (await c.connect({ cookie, origin: PORTAL })).disconnect();
    });
  });

  describe('production on an empty database', () => {
    const SECRETS = { SESSION_SECRET: 'production-session-secret-0123456789', SECRETS_KEY: 'b'.repeat(64) };
    let t: TestApp;
    let c: ReturnType<typeof client>;
    let setupToken: string | undefined;

    beforeAll(async () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
        const logged = message as { event?: string; setupToken?: string };
        if (logged?.event === 'auth.setup_token') setupToken = logged.setupToken;
      });
      t = await startTestApp({ NODE_ENV: 'production', WEBRTC_ENABLED: 'false', ...SECRETS });
      c = client(t);
    });

    afterAll(async () => {
      await t?.close();
      jest.restoreAllMocks();
    });

    it('seeds no demo users and prints a one-time setup token that creates the first administrator once', async () => {
      expect((await c.login('alice')).status).toBe(401);
      expect(setupToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const request = { username: 'root', password: 'a-long-admin-password', displayName: 'Site Admin' };

      const wrong = await c.call(API.setup, { method: 'POST', json: { ...request, token: 'x'.repeat(32) } });
      expect(wrong.status).toBe(403);
      const weak = await c.call<{ message: string[] }>(API.setup, {
        method: 'POST',
        json: { ...request, password: 'short', token: setupToken },
      });
      expect(weak.status).toBe(400);
      expect(weak.body.message).toContain('password must be at least 12 characters');

      const done = await c.call<SessionResponse>(API.setup, {
        method: 'POST',
        json: { ...request, token: setupToken },
      });
      expect(done.status).toBe(200);
      expect(done.body.user).toMatchObject({ username: 'root', displayName: 'Site Admin', isAdmin: true });
      expect(done.headers.get('set-cookie')).toMatch(/Secure/);

      const again = await c.call<{ message: string }>(API.setup, {
        method: 'POST',
        json: { ...request, token: setupToken },
      });
      expect(again.status).toBe(409);
      expect((await c.login('root', request.password)).status).toBe(200);
      expect((await c.call(API.adminProviders, { token: done.body.token })).status).toBe(200);
    });

    it('throttles guesses of the setup token per address (429 with Retry-After)', async () => {
      const limited = await startTestApp({
        NODE_ENV: 'production',
        WEBRTC_ENABLED: 'false',
        LOGIN_MAX_ATTEMPTS: '3',
        ...SECRETS,
      });
      try {
        const l = client(limited);
        const guess = {
          username: 'root',
          password: 'a-long-admin-password',
          displayName: 'Root',
          token: 'y'.repeat(32),
        };
        for (let n = 0; n < 3; n++) {
          expect((await l.call(API.setup, { method: 'POST', json: guess })).status).toBe(403);
        }
        const refused = await l.call(API.setup, { method: 'POST', json: guess });
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      } finally {
        await limited.close();
      }
    });

    it('serves no API documentation in production (API_DOCS unset)', async () => {
      expect((await c.call('/api/docs')).status).toBe(404);
      expect((await c.call('/api/docs/json')).status).toBe(404);
    });

    it('still seeds the demo in production when SEED_DEMO=true is set explicitly', async () => {
      const seeded = await startTestApp({
        NODE_ENV: 'production',
        WEBRTC_ENABLED: 'false',
        SEED_DEMO: 'true',
        ...SECRETS,
      });
      try {
        expect((await client(seeded).login('alice')).status).toBe(200);
      } finally {
        await seeded.close();
      }
    });
  });

  describe('behind a reverse proxy (TRUST_PROXY), single sign-on exchanges', () => {
    let t: TestApp;
    let c: ReturnType<typeof client>;

    beforeAll(async () => {
      t = await startTestApp({
        WEBRTC_ENABLED: 'false',
        PORTAL_TOKEN_SECRET: 'a-portal-secret-of-some-length',
        PORTAL_TOKEN_MAX_ATTEMPTS: '3',
        LOGIN_WINDOW_SECONDS: '600',
        TRUST_PROXY: 'loopback',
      });
      c = client(t);
    });

    afterAll(async () => {
      await t?.close();
    });

    const exchange = (client: string) =>
      c.call(API.portalToken, {
        method: 'POST',
        json: { token: 'not.a.valid-token' },
        headers: { 'x-forwarded-for': client },
      });

    it("counts portal-token exchanges per client address named by the trusted proxy: the 4th gets 429 with Retry-After, another client is unaffected, and the failures are audited with the client's address", async () => {
      for (let n = 0; n < 3; n++) expect((await exchange('203.0.113.7')).status).toBe(401);
      const refused = await exchange('203.0.113.7');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // The proxy's own address (loopback) is not what counts: another client still gets its answer.
      expect((await exchange('198.51.100.20')).status).toBe(401);

      const admin = await c.login('alice');
      const audit = await c.call<AuditEntry[]>(API.adminAudit, { token: admin.body.token });
      const failed = audit.body.filter((e) => e.action === 'auth.sign_in_failed');
      expect(failed.filter((e) => e.details['ip'] === '203.0.113.7')).toHaveLength(3);
      expect(failed).toContainEqual(
        expect.objectContaining({
          target: 'portal token',
          details: expect.objectContaining({
            kind: 'portal_token',
            ip: '198.51.100.20',
            reason: 'invalid_token',
          }),
        }),
      );
    });
  });
});
