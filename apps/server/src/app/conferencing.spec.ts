/**
 * Conferencing on the real server (port 0, temp SQLite file, Jitsi loaded by package name through
 * PARLEY_CONNECTORS, a missing plug-in that must not stop start-up, a real coturn): admin authorization
 * enumerated from the router and the gateways' metadata, secrets never in responses, settings
 * validation, live `providers.changed`, TURN REST credentials accepted by coturn.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { secretForms } from '@parley/connector-sdk/testing';
import type {
  AdminIceServer,
  AdminIceSettings,
  AdminProvider,
  AdminProvidersResponse,
  AuditEntry,
  IceConfig,
  IceServerTest,
  ProviderDescriptor,
  ProvidersChanged,
  SessionResponse,
  SocketReply,
  ValidationErrorResponse,
} from '@parley/protocol';
import { API } from '@parley/protocol';
import { IS_ADMIN_ONLY } from '@parley/server-conferencing';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { startCoturn, type TestCoturn, turnAllocate } from '@parley/test-support/coturn';
import { loadConfig } from './config';
import { createApp } from './create-app';

const JITSI_SECRET = 'jitsi-app-secret-Zq81xk2w';
const TURN_SECRET = 'coturn-shared-secret-Hy62mQ';
const STATIC_CREDENTIAL = 'static-turn-password-Pw93'; // a static credential IS sent to browsers (by design)

describe('Conferencing (integration)', () => {
  let dir: string;
  let app: NestExpressApplication;
  let base: string;
  let admin: SessionResponse;
  let member: SessionResponse;
  let coturn: TestCoturn;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    coturn = await startCoturn(TURN_SECRET);
    dir = mkdtempSync(join(tmpdir(), 'parley-conf-'));
    const config = loadConfig(
      {
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        PORTAL_DIST: join(dir, 'portal'),
        PARLEY_CONNECTORS: '@parley/connector-jitsi,@acme/parley-missing-connector',
        // Plug-ins only: this spec is about the registry (the built-in connector has its own specs).
        WEBRTC_ENABLED: 'false',
        SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      },
      dir,
    );
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    admin = await login('alice');
    member = await login('bob');
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await app?.close();
    await coturn?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function call<T>(
    path: string,
    options: { method?: string; body?: unknown; token?: string } = {},
  ): Promise<{ status: number; body: T; text: string; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    const response = await fetch(base + path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json');
    return {
      status: response.status,
      body: (json ? JSON.parse(text) : text) as T,
      text,
      headers: response.headers,
    };
  }

  async function login(username: string): Promise<SessionResponse> {
    const { body } = await call<SessionResponse>(API.login, {
      method: 'POST',
      body: { username, password: 'parley' },
    });
    return body;
  }

  async function connect(token?: string): Promise<Socket> {
    const socket = io(base, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: token ? { token } : {},
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return socket;
  }

  function next<T>(socket: Socket, name: string, match: (payload: T) => boolean): Promise<T> {
    return new Promise((resolve) => {
      const listener = (payload: T) => {
        if (match(payload)) {
          socket.off(name, listener);
          resolve(payload);
        }
      };
      socket.on(name, listener);
    });
  }

  /** Every route Express actually serves (from Nest's router), `:params` filled in. */
  function routes(): { method: string; path: string }[] {
    const router = (
      app.getHttpAdapter().getInstance() as {
        router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
      }
    ).router;
    return router.stack
      .filter((layer) => layer.route)
      .flatMap((layer) =>
        Object.keys(layer.route?.methods ?? {}).map((method) => ({
          method: method.toUpperCase(),
          path: layer.route?.path ?? '',
        })),
      );
  }

  const fill = (path: string, params: Record<string, string>) =>
    path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? 'x');

  /** Every socket message handler of every gateway, from Nest's metadata. */
  function socketMessages(): { name: string; adminOnly: boolean }[] {
    const discovery = new DiscoveryService(app.get(ModulesContainer));
    const scanner = new MetadataScanner();
    return discovery
      .getProviders()
      .filter(
        (wrapper) => wrapper.instance && Reflect.getMetadata('websockets:is_gateway', wrapper.metatype ?? {}),
      )
      .flatMap((wrapper) => {
        const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, () => unknown>;
        return scanner.getAllMethodNames(prototype).flatMap((method) => {
          const handler = prototype[method];
          const name = Reflect.getMetadata('message', handler) as string | undefined;
          return name ? [{ name, adminOnly: Reflect.getMetadata(IS_ADMIN_ONLY, handler) === true }] : [];
        });
      });
  }

  const adminProviders = async () =>
    (await call<AdminProvidersResponse>(API.adminProviders, { token: admin.token })).body;

  it('starts with the plug-in loaded by name and reports the one that failed', async () => {
    const { providers, loadErrors } = await adminProviders();
    expect(providers.map((p) => [p.type, p.source])).toEqual([
      ['jitsi', { kind: 'package', name: '@parley/connector-jitsi' }],
    ]);
    // A plug-in starts inactive (an admin configures it, then switches it on).
    expect(providers[0]).toMatchObject({
      active: false,
      configured: false,
      health: { status: 'inactive' },
    });
    expect(providers[0].health.reason).toMatch(/Service URL is required/);
    expect(loadErrors).toEqual([
      expect.objectContaining({
        package: '@acme/parley-missing-connector',
        message: expect.stringContaining('package not found'),
      }),
    ]);
    // Inactive and not configured: no button for anyone.
    expect((await call<ProviderDescriptor[]>(API.providers, { token: member.token })).body).toEqual([]);
  });

  it('answers 403 to a member and 401 to anonymous on every admin route (enumerated from the router)', async () => {
    const ice = (await call<AdminIceSettings>(API.adminIceServers, { token: admin.token })).body;
    const params = { type: 'jitsi', id: ice.servers[0].id };
    const adminRoutes = routes().filter((route) => route.path.startsWith('/api/admin'));
    expect(adminRoutes.length).toBeGreaterThanOrEqual(11);
    for (const route of adminRoutes) {
      const path = fill(route.path, params);
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      const asMember = await call(path, { method: route.method, token: member.token, body });
      expect([route.method, route.path, asMember.status]).toEqual([route.method, route.path, 403]);
      const anonymous = await call(path, { method: route.method, body });
      expect([route.method, route.path, anonymous.status]).toEqual([route.method, route.path, 401]);
    }
    // Nothing under /api/admin escapes the admin guard, and no admin route lives elsewhere.
    expect(routes().filter((r) => !r.path.startsWith('/api/admin') && r.path.includes('admin'))).toEqual([]);
    // Admins pass (a live call's route: past the guard, no such call here, so 404).
    for (const route of adminRoutes.filter((r) => r.method === 'GET')) {
      expect([route.path, (await call(fill(route.path, params), { token: admin.token })).status]).toEqual([
        route.path,
        route.path.includes(':callId') ? 404 : 200,
      ]);
    }
  });

  it('refuses every admin socket message to a member (enumerated from the gateways) and sockets to anonymous', async () => {
    const messages = socketMessages();
    expect(messages.map((m) => m.name)).toEqual(expect.arrayContaining(['providers.list', 'ice.config']));
    for (const message of messages) {
      // Admin-only exactly when named admin.*: a new admin message without the guard fails here.
      expect([message.name, message.adminOnly]).toEqual([message.name, message.name.startsWith('admin.')]);
    }
    const adminMessages = messages.filter((m) => m.adminOnly);
    expect(adminMessages.length).toBeGreaterThanOrEqual(1);
    const memberSocket = await connect(member.token);
    const adminSocket = await connect(admin.token);
    for (const { name } of adminMessages) {
      expect([name, await memberSocket.emitWithAck(name, {})]).toEqual([
        name,
        { ok: false, error: { code: 'forbidden', message: 'Administrators only' } },
      ]);
      expect([name, ((await adminSocket.emitWithAck(name, {})) as SocketReply<unknown>).ok]).toEqual([
        name,
        true,
      ]);
    }
    await expect(connect()).rejects.toThrow('unauthorized');
  });

  it('refuses invalid settings with per-field errors and leaves the database unchanged', async () => {
    const rows = () =>
      app.get(DataSource).query('SELECT type, active, settings, position, updated_at FROM provider_configs');
    const before = await rows();
    const auditBefore = (await call<AuditEntry[]>(API.adminAudit, { token: admin.token })).body.length;
    const cases: [Record<string, unknown>, string[]][] = [
      [{ serviceUrl: 'not a url', appId: 'parley', appSecret: JITSI_SECRET }, ['serviceUrl']],
      [{ serviceUrl: 'https://meet.example.test', appId: 'parley' }, ['appSecret']],
      [{ serviceUrl: 'https://meet.example.test', appId: 42, appSecret: JITSI_SECRET }, ['appId']],
      [
        { serviceUrl: 'ftp://x', appId: 'p', appSecret: JITSI_SECRET, tokenTtlMinutes: 'ten', bogus: 1 },
        ['serviceUrl', 'tokenTtlMinutes', 'bogus'],
      ],
    ];
    for (const [settings, fields] of cases) {
      const response = await call<ValidationErrorResponse>(API.adminProvider('jitsi'), {
        method: 'PUT',
        token: admin.token,
        body: { active: false, settings },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e) => e.field).sort()).toEqual([...fields].sort());
      expect(response.body.errors.every((e) => e.message.length > 0)).toBe(true);
    }
    const wrongActive = await call<ValidationErrorResponse>(API.adminProvider('jitsi'), {
      method: 'PUT',
      token: admin.token,
      body: { active: 'yes' },
    });
    expect(wrongActive.body.errors).toEqual([{ field: 'active', message: 'active must be a boolean' }]);
    expect(await rows()).toEqual(before);
    expect((await call<AuditEntry[]>(API.adminAudit, { token: admin.token })).body).toHaveLength(auditBefore);
  });

  it('keeps a configured plug-in hidden until switched on, then shows it to every open page within a second, and hides it when deactivated', async () => {
    const page = await connect(member.token);
    const saved = await call<AdminProvider>(API.adminProvider('jitsi'), {
      method: 'PUT',
      token: admin.token,
      body: {
        settings: { serviceUrl: 'https://meet.example.test', appId: 'parley', appSecret: JITSI_SECRET },
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      active: false,
      configured: true,
      health: { status: 'inactive' },
      settings: { appSecret: { set: true } },
    });
    expect((await call<ProviderDescriptor[]>(API.providers, { token: member.token })).body).toEqual([]);

    const shown = next<ProvidersChanged>(page, 'providers.changed', (p) =>
      p.providers.some((d) => d.type === 'jitsi'),
    );
    const started = Date.now();
    const on = await call<AdminProvider>(API.adminProvider('jitsi'), {
      method: 'PUT',
      token: admin.token,
      body: { active: true },
    });
    expect(on.body).toMatchObject({ active: true, health: { status: 'ok' } });
    const [descriptor] = (await shown).providers;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(descriptor).toMatchObject({
      type: 'jitsi',
      title: 'Jitsi Meet',
      supportedTargets: ['user', 'room', 'space'],
    });

    const client = await call<string>(descriptor.clientModuleUrl, { token: member.token });
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(client.text).toContain('export default connector');
    expect((await call(API.providerClient('nope'), { token: member.token })).status).toBe(404);
    expect((await call(descriptor.clientModuleUrl)).status).toBe(401);

    // Keeping the secret: omitted or { set: true } keeps it.
    const kept = await call<AdminProvider>(API.adminProvider('jitsi'), {
      method: 'PUT',
      token: admin.token,
      body: {
        settings: { serviceUrl: 'https://meet2.example.test', appId: 'parley', appSecret: { set: true } },
      },
    });
    expect(kept.body).toMatchObject({
      configured: true,
      settings: { serviceUrl: 'https://meet2.example.test' },
    });

    const hidden = next<ProvidersChanged>(page, 'providers.changed', (p) => p.providers.length === 0);
    const off = Date.now();
    await call(API.adminProvider('jitsi'), { method: 'PUT', token: admin.token, body: { active: false } });
    await hidden;
    expect(Date.now() - off).toBeLessThan(1000);
    expect((await call(client.text ? descriptor.clientModuleUrl : '', { token: member.token })).status).toBe(
      404,
    );
    expect(((await page.emitWithAck('providers.list', {})) as SocketReply<ProviderDescriptor[]>).ok).toBe(
      true,
    );
    await call(API.adminProvider('jitsi'), { method: 'PUT', token: admin.token, body: { active: true } });
  });

  it('manages ICE servers: validation, warning for the default STUN, TURN REST credentials accepted by coturn', async () => {
    let ice = (await call<AdminIceSettings>(API.adminIceServers, { token: admin.token })).body;
    expect(ice.servers).toEqual([
      expect.objectContaining({ urls: ['stun:stun.l.google.com:19302'], isDefault: true, enabled: true }),
    ]);
    expect(ice.warning).toMatch(/Only the default public STUN server/);

    const bad = await call<ValidationErrorResponse>(API.adminIceServers, {
      method: 'POST',
      token: admin.token,
      body: {
        urls: [
          'http://x',
          'turn:host:99999',
          'stun:ok.example:3478?transport=udp',
          'turn:t.example?transport=sctp',
        ],
        credentialType: 'rest',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['urls[0]', 'urls[1]', 'urls[2]', 'urls[3]']);
    const noSecret = await call<ValidationErrorResponse>(API.adminIceServers, {
      method: 'POST',
      token: admin.token,
      body: { urls: [coturn.url], credentialType: 'rest' },
    });
    expect(noSecret.body.errors).toEqual([
      { field: 'sharedSecret', message: 'sharedSecret is required for TURN REST credentials' },
    ]);

    const created = await call<AdminIceServer>(API.adminIceServers, {
      method: 'POST',
      token: admin.token,
      body: {
        label: 'Test coturn',
        urls: [coturn.url],
        credentialType: 'rest',
        sharedSecret: TURN_SECRET,
        ttlSeconds: 600,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      sharedSecret: { set: true },
      credential: { set: false },
      ttlSeconds: 600,
    });
    const wrong = await call<AdminIceServer>(API.adminIceServers, {
      method: 'POST',
      token: admin.token,
      body: {
        label: 'Same coturn, wrong secret',
        urls: [coturn.url],
        credentialType: 'rest',
        sharedSecret: 'not-the-secret',
      },
    });
    const statics = await call<AdminIceServer>(API.adminIceServers, {
      method: 'POST',
      token: admin.token,
      body: {
        urls: ['turns:turn.example.test:443?transport=tcp'],
        credentialType: 'static',
        username: 'u',
        credential: STATIC_CREDENTIAL,
        enabled: false,
      },
    });
    expect(statics.status).toBe(201);
    ice = (await call<AdminIceSettings>(API.adminIceServers, { token: admin.token })).body;
    expect(ice.warning).toBeNull();

    // Reorder + relay policy.
    const order = [created.body.id, ...ice.servers.map((s) => s.id).filter((id) => id !== created.body.id)];
    const reordered = await call<AdminIceSettings>(API.adminIceServers, {
      method: 'PUT',
      token: admin.token,
      body: { order, iceTransportPolicy: 'relay' },
    });
    expect(reordered.body.servers.map((s) => s.id)).toEqual(order);

    // What a member's browser gets: short-lived REST credentials, no secret.
    const config = (await call<IceConfig>(API.iceConfig, { token: member.token })).body;
    expect(config.iceTransportPolicy).toBe('relay');
    const [turn] = config.iceServers;
    expect(turn.urls).toEqual([coturn.url]);
    const [expiry, userId] = (turn.username ?? '').split(':');
    expect(userId).toBe(member.user.id);
    expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(590);
    expect(Number(expiry) - Date.now() / 1000).toBeLessThanOrEqual(601);
    expect(turn.credential).toBe(
      createHmac('sha1', TURN_SECRET)
        .update(turn.username ?? '')
        .digest('base64'),
    );
    expect(config.iceServers.some((s) => s.urls[0].startsWith('turns:'))).toBe(false); // disabled
    const viaSocket = (await (
      await connect(member.token)
    ).emitWithAck('ice.config', {})) as SocketReply<IceConfig>;
    expect(viaSocket.ok && viaSocket.data.iceServers[0].username?.endsWith(`:${member.user.id}`)).toBe(true);

    // coturn accepts what we minted (relay reached) ...
    const allocated = await turnAllocate(
      coturn.host,
      coturn.port,
      turn.username ?? '',
      turn.credential ?? '',
    );
    expect(allocated).toMatchObject({ ok: true, relayed: { address: '127.0.0.1' } });
    // ... and refuses credentials minted with the wrong secret.
    const test = await call<IceServerTest>(API.adminIceServerTest(wrong.body.id), {
      method: 'POST',
      token: admin.token,
    });
    expect(test.body).toMatchObject({ iceTransportPolicy: 'relay', expect: 'relay' });
    const refused = await turnAllocate(
      coturn.host,
      coturn.port,
      test.body.iceServer.username ?? '',
      test.body.iceServer.credential ?? '',
    );
    expect(refused).toMatchObject({ ok: false, errorCode: 401 });

    // The admin Test endpoint: that one server, 5-minute credentials, which coturn accepts.
    const good = (
      await call<IceServerTest>(API.adminIceServerTest(created.body.id), {
        method: 'POST',
        token: admin.token,
      })
    ).body;
    expect(good.iceServer.username).toMatch(new RegExp(`^\\d+:${admin.user.id}$`));
    expect(Date.parse(good.expiresAt ?? '') - Date.now()).toBeLessThanOrEqual(300_000);
    expect(
      await turnAllocate(
        coturn.host,
        coturn.port,
        good.iceServer.username ?? '',
        good.iceServer.credential ?? '',
      ),
    ).toMatchObject({ ok: true });

    const removed = await call(API.adminIceServer(wrong.body.id), { method: 'DELETE', token: admin.token });
    expect(removed.status).toBe(204);
    expect(
      (await call(API.adminIceServer(wrong.body.id), { method: 'DELETE', token: admin.token })).status,
    ).toBe(404);
  });

  it('never sends a secret to a browser: every member GET, admin GETs and socket replies are scanned', async () => {
    const forms = [JITSI_SECRET, TURN_SECRET].flatMap(secretForms);
    const ice = (await call<AdminIceSettings>(API.adminIceServers, { token: admin.token })).body;
    const params = { type: 'jitsi', id: ice.servers[0].id };
    const responses: string[] = [];
    for (const route of routes().filter((r) => r.method === 'GET' && r.path.startsWith('/api'))) {
      const token = route.path.startsWith('/api/admin') ? admin.token : member.token;
      const path = fill(route.path, {
        ...params,
        id: route.path.startsWith('/api/users') ? member.user.id : params.id,
      });
      responses.push((await call(path, { token })).text);
    }
    for (const route of routes().filter((r) => r.method === 'POST' && r.path.endsWith('/test'))) {
      for (const server of ice.servers)
        responses.push(
          (await call(fill(route.path, { id: server.id }), { method: 'POST', token: admin.token })).text,
        );
    }
    const memberSocket = await connect(member.token);
    const adminSocket = await connect(admin.token);
    for (const { name } of socketMessages()) {
      responses.push(JSON.stringify(await memberSocket.emitWithAck(name, {})));
      responses.push(JSON.stringify(await adminSocket.emitWithAck(name, {})));
    }
    expect(responses.length).toBeGreaterThan(15);
    for (const text of responses) {
      for (const form of forms) expect(text).not.toContain(form);
    }
    // Encrypted at rest too.
    const stored = JSON.stringify(await app.get(DataSource).query('SELECT * FROM provider_configs'));
    const storedIce = JSON.stringify(await app.get(DataSource).query('SELECT * FROM ice_servers'));
    for (const form of forms) {
      expect(stored).not.toContain(form);
      expect(storedIce).not.toContain(form);
    }
    expect(stored).toContain('v1:');
  });

  it('audits admin changes with secrets redacted', async () => {
    const entries = (await call<AuditEntry[]>(API.adminAudit + '?limit=200', { token: admin.token })).body;
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['provider.update', 'ice.create', 'ice.settings', 'ice.delete']),
    );
    expect(entries.every((e) => e.actorId === admin.user.id && e.actorName === admin.user.displayName)).toBe(
      true,
    );
    const configured = entries.find(
      (e) => e.action === 'provider.update' && 'appSecret' in ((e.details['settings'] as object) ?? {}),
    );
    expect(configured?.details['settings']).toMatchObject({ appSecret: '[redacted]', appId: 'parley' });
    expect((await call(API.adminAudit + '?limit=0', { token: admin.token })).status).toBe(400);
  });
});
