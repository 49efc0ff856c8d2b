/**
 * The real server on port 0 with a temp SQLite file: REST over fetch, two users over
 * socket.io-client. Waits on events only.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type {
  ChatMessage,
  RoomSummary,
  SessionResponse,
  SocketReply,
  UserProfile,
  UserSummary,
} from '@parley/protocol';
import { API, SESSION_COOKIE } from '@parley/protocol';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from './config';
import { createApp } from './create-app';

describe('Parley server (integration)', () => {
  let dir: string;
  let app: NestExpressApplication;
  let base: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-app-'));
    mkdirSync(join(dir, 'portal'));
    writeFileSync(join(dir, 'portal/index.html'), '<!doctype html><title>Parley portal</title>');
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', PORTAL_DIST: join(dir, 'portal') }, dir);
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call<T>(
    path: string,
    options: { method?: string; body?: unknown; token?: string; cookie?: string } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.cookie) headers['cookie'] = options.cookie;
    const response = await fetch(base + path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      body: (type.includes('json') ? JSON.parse(text) : text) as T,
      headers: response.headers,
    };
  }

  const login = async (username: string) =>
    (await call<SessionResponse>(API.login, { method: 'POST', body: { username, password: 'parley' } })).body;

  function connect(auth: { token?: string; cookie?: string }): Socket {
    const socket = io(base, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: auth.token ? { token: auth.token } : {},
      extraHeaders: auth.cookie ? { cookie: auth.cookie } : undefined,
    });
    sockets.push(socket);
    return socket;
  }

  const connected = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });

  /** The next event `name` whose payload matches. */
  function next<T>(socket: Socket, name: string, match: (payload: T) => boolean = () => true): Promise<T> {
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

  it('answers /api/health', async () => {
    const { status, body } = await call<{ status: string; checks: Record<string, { status: string }> }>(
      API.health,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', checks: { database: { status: 'up' } } });
  });

  it('answers /api/health/live and /api/health/ready, and 404 at /metrics while METRICS_TOKEN is unset', async () => {
    expect(await call(`${API.health}/live`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await call<{ status: string; info: Record<string, { status: string }> }>(
      `${API.health}/ready`,
    );
    expect(ready.status).toBe(200);
    expect(ready.body.info.database).toEqual({ status: 'up' });
    const metrics = await call<{ message: string }>('/metrics', { token: 'metrics-token-0123456789abcdef' });
    expect(metrics.status).toBe(404);
    expect(metrics.body.message).toMatch(/METRICS_TOKEN/);
  });

  it('refuses wrong passwords and unknown users alike', async () => {
    for (const body of [
      { username: 'alice', password: 'wrong' },
      { username: 'nobody', password: 'parley' },
    ]) {
      const response = await call<{ message: string }>(API.login, { method: 'POST', body });
      expect(response.status).toBe(401);
      expect(response.body.message).toBe('Invalid username or password');
    }
    const invalid = await call<{ message: string[] }>(API.login, {
      method: 'POST',
      body: { username: 'alice' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toEqual(expect.arrayContaining(['password must be a string']));
  });

  it('signs in with a session cookie, a bearer token, and signs out', async () => {
    const response = await call<SessionResponse>(API.login, {
      method: 'POST',
      body: { username: 'alice', password: 'parley' },
    });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+;`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = setCookie.split(';')[0];

    const byCookie = await call<SessionResponse>(API.session, { cookie });
    expect(byCookie.status).toBe(200);
    expect(byCookie.body.user).toMatchObject({ username: 'alice', isAdmin: true });
    const byBearer = await call<SessionResponse>(API.session, { token: response.body.token });
    expect(byBearer.body.user.username).toBe('alice');
    expect((await call(API.session)).status).toBe(401);
    expect((await call(API.users)).status).toBe(401);

    const logout = await call(API.logout, { method: 'POST', cookie });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
  });

  it('serves users, profiles and avatars', async () => {
    const { token } = await login('bob');
    const users = await call<UserSummary[]>(API.users, { token });
    expect(users.body.map((u) => u.username)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
    const carol = users.body[2];
    const profile = await call<UserProfile>(API.user(carol.id), { token });
    expect(profile.body).toMatchObject({ username: 'carol', title: 'Engineering manager', isAdmin: false });
    expect((await call(API.user('nope'), { token })).status).toBe(404);
    const avatar = await call<string>(carol.avatarUrl);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(avatar.body).toContain('>CD</text>');
  });

  it('keeps rooms to their members: 403 for others, 404 for unknown rooms', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    const bobRooms = await call<RoomSummary[]>(API.rooms, { token: bob.token });
    const design = bobRooms.body.find((r) => r.name === 'design');
    if (!design) throw new Error('design missing');
    expect((await call(API.room(design.id), { token: bob.token })).status).toBe(200);
    const messages = await call<ChatMessage[]>(API.roomMessages(design.id) + '?limit=2', {
      token: bob.token,
    });
    expect(messages.body).toHaveLength(2);
    expect((await call(API.room(design.id), { token: alice.token })).status).toBe(403);
    expect((await call(API.roomMessages(design.id), { token: alice.token })).status).toBe(403);
    const send = await call(API.roomMessages(design.id), {
      method: 'POST',
      token: alice.token,
      body: { body: 'hi' },
    });
    expect(send.status).toBe(403);
    expect((await call(API.room('no-such-room'), { token: alice.token })).status).toBe(404);
    const bad = await call<{ message: string[] }>(API.roomMessages(design.id) + '?limit=abc', {
      token: bob.token,
    });
    expect(bad.status).toBe(400);
    const extra = await call(API.roomMessages(design.id), {
      method: 'POST',
      token: bob.token,
      body: { body: 'x', extra: 1 },
    });
    expect(extra.status).toBe(400);
    const presence = await call<{ message: string[] }>(API.myPresence, {
      method: 'PUT',
      token: bob.token,
      body: { presence: 'busy' },
    });
    expect(presence.status).toBe(400);
    expect(presence.body.message).toEqual(['presence must be one of: available, away, dnd, offline']);
  });

  it('serves the portal with the SPA fallback, and JSON 404s under /api', async () => {
    const home = await call<string>('/');
    expect(home.body).toContain('Parley portal');
    const deep = await call<string>('/rooms/town-square');
    expect(deep.status).toBe(200);
    expect(deep.body).toContain('Parley portal');
    const missing = await call<{ statusCode: number }>('/api/nope');
    expect(missing.status).toBe(404);
    const docs = await call<{ openapi: string; paths: Record<string, unknown> }>('/api/docs/json');
    expect(docs.body.paths).toHaveProperty('/api/rooms/{id}/messages');
    expect((await call<string>('/api/docs')).status).toBe(200);
  });

  it('refuses unauthenticated sockets with unauthorized', async () => {
    const anonymous = connect({});
    await expect(connected(anonymous)).rejects.toThrow('unauthorized');
    const forged = connect({ token: 'not-a-token' });
    await expect(connected(forged)).rejects.toThrow('unauthorized');
  });

  it('pushes messages, presence and posts between two users', async () => {
    const aliceSession = await login('alice');
    // Bob is a browser: his socket carries the session cookie his sign-in set.
    const bobSignIn = await call<SessionResponse>(API.login, {
      method: 'POST',
      body: { username: 'bob', password: 'parley' },
    });
    const bobSession = bobSignIn.body;
    const bobCookie = (bobSignIn.headers.get('set-cookie') ?? '').split(';')[0];
    expect(bobCookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    const erinSession = await login('erin');
    const alice = connect({ token: aliceSession.token });
    const bob = connect({ cookie: bobCookie });
    const erin = connect({ token: erinSession.token });
    await Promise.all([connected(alice), connected(bob), connected(erin)]);

    const whoami = (await bob.emitWithAck('session.whoami', {})) as SocketReply<UserProfile>;
    expect(whoami).toMatchObject({ ok: true, data: { username: 'bob' } });

    const rooms = await call<RoomSummary[]>(API.rooms, { token: aliceSession.token });
    const town = rooms.body.find((r) => r.name === 'town-square');
    if (!town) throw new Error('town-square missing');

    // A sends over the socket, B receives.
    const received = next<ChatMessage>(bob, 'room.message', (m) => m.body === 'hello bob');
    const sent = (await alice.emitWithAck('room.send', {
      roomId: town.id,
      body: 'hello bob',
    })) as SocketReply<ChatMessage>;
    expect(sent.ok).toBe(true);
    expect(await received).toEqual(sent.ok ? sent.data : null);

    // A message sent over REST is pushed too.
    const viaRest = next<ChatMessage>(bob, 'room.message', (m) => m.body === 'from rest');
    await call(API.roomMessages(town.id), {
      method: 'POST',
      token: aliceSession.token,
      body: { body: 'from rest' },
    });
    expect((await viaRest).authorId).toBe(aliceSession.user.id);

    // B sets dnd, A sees it.
    const changed = next<UserSummary>(
      alice,
      'presence.changed',
      (u) => u.id === bobSession.user.id && u.presence === 'dnd',
    );
    const set = (await bob.emitWithAck('presence.set', { presence: 'dnd' })) as SocketReply<UserSummary>;
    expect(set).toMatchObject({ ok: true, data: { presence: 'dnd' } });
    await changed;
    const users = await call<UserSummary[]>(API.users, { token: aliceSession.token });
    expect(users.body.find((u) => u.username === 'bob')?.presence).toBe('dnd');

    // Malformed requests get ok:false and the socket keeps answering.
    for (const payload of [
      42,
      'text',
      null,
      [],
      { roomId: town.id },
      { body: 'no room' },
      { roomId: town.id, body: '' },
    ]) {
      const reply = (await bob.emitWithAck('room.send', payload)) as SocketReply<ChatMessage>;
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    const extra = (await bob.emitWithAck('room.send', {
      roomId: town.id,
      body: 'x',
      extra: true,
    })) as SocketReply<unknown>;
    expect(extra).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: 'property extra should not exist' },
    });
    const badPresence = (await bob.emitWithAck('presence.set', { presence: 'busy' })) as SocketReply<unknown>;
    expect(badPresence).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const unknownRoom = (await bob.emitWithAck('room.send', {
      roomId: 'nope',
      body: 'x',
    })) as SocketReply<unknown>;
    expect(unknownRoom).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const design = (await call<RoomSummary[]>(API.rooms, { token: bobSession.token })).body.find(
      (r) => r.name === 'design',
    );
    const forbidden = (await alice.emitWithAck('room.send', {
      roomId: design?.id,
      body: 'x',
    })) as SocketReply<unknown>;
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(bob.connected).toBe(true);
    expect(await bob.emitWithAck('session.whoami', {})).toMatchObject({
      ok: true,
      data: { username: 'bob' },
    });

    // A new direct room reaches its members' open sockets.
    const dm = await call<RoomSummary>(API.directRoom, {
      method: 'POST',
      token: aliceSession.token,
      body: { userId: erinSession.user.id },
    });
    expect(dm.body).toMatchObject({ kind: 'direct', title: 'Erin Kowalski' });
    const toErin = next<ChatMessage>(erin, 'room.message', (m) => m.roomId === dm.body.id);
    await alice.emitWithAck('room.send', { roomId: dm.body.id, body: 'hi erin' });
    expect((await toErin).body).toBe('hi erin');

    // Posts reach everyone.
    const postToBob = next<{ body: string }>(bob, 'post.created');
    const post = await call(API.posts, { method: 'POST', token: erinSession.token, body: { body: 'news' } });
    expect(post.status).toBe(201);
    expect((await postToBob).body).toBe('news');

    // Closing B's last tab makes B offline for A.
    const offline = next<UserSummary>(
      alice,
      'presence.changed',
      (u) => u.id === bobSession.user.id && u.presence === 'offline',
    );
    bob.disconnect();
    await offline;
  });

  it('keeps threads: replies over REST and socket, counts on roots, validation, members only', async () => {
    const [bobSession, carolSession, aliceSession] = [
      await login('bob'),
      await login('carol'),
      await login('alice'),
    ];
    const carol = connect({ token: carolSession.token });
    await connected(carol);
    const design = (await call<RoomSummary[]>(API.rooms, { token: bobSession.token })).body.find(
      (r) => r.name === 'design',
    );
    if (!design) throw new Error('design missing');
    const root = await call<ChatMessage>(API.roomMessages(design.id), {
      method: 'POST',
      token: bobSession.token,
      body: { body: 'thread root' },
    });
    expect(root.body).toMatchObject({ threadId: null, replyCount: 0 });
    const pushed = next<ChatMessage>(carol, 'room.message', (m) => m.body === 'rest reply');
    const restReply = await call<ChatMessage>(API.roomMessages(design.id), {
      method: 'POST',
      token: bobSession.token,
      body: { body: 'rest reply', threadId: root.body.id },
    });
    expect(restReply.status).toBe(201);
    expect((await pushed).threadId).toBe(root.body.id);
    const socketReply = (await carol.emitWithAck('room.send', {
      roomId: design.id,
      body: 'socket reply',
      threadId: root.body.id,
    })) as SocketReply<ChatMessage>;
    expect(socketReply).toMatchObject({ ok: true, data: { threadId: root.body.id } });

    const thread = await call<ChatMessage[]>(`${API.roomMessages(design.id)}?thread=${root.body.id}`, {
      token: carolSession.token,
    });
    expect(thread.status).toBe(200);
    expect(thread.body.map((m) => m.body).sort()).toEqual(['rest reply', 'socket reply']);
    const stream = await call<ChatMessage[]>(API.roomMessages(design.id), { token: carolSession.token });
    expect(stream.body.find((m) => m.id === root.body.id)?.replyCount).toBe(2);
    expect(stream.body.some((m) => m.threadId)).toBe(false);

    const replyId = restReply.body.id;
    const cases: [string, { method?: string; body?: unknown }, number][] = [
      [`?thread=${replyId}`, {}, 400],
      ['?thread=unknown', {}, 404],
      ['', { method: 'POST', body: { body: 'x', threadId: replyId } }, 400],
      ['', { method: 'POST', body: { body: 'x', threadId: 42 } }, 400],
      ['', { method: 'POST', body: { body: 'x', threadId: 'unknown' } }, 404],
    ];
    for (const [query, options, status] of cases) {
      const response = await call(API.roomMessages(design.id) + query, {
        ...options,
        token: bobSession.token,
      });
      expect([query, options, response.status]).toEqual([query, options, status]);
    }
    const badSocket = (await carol.emitWithAck('room.send', {
      roomId: design.id,
      body: 'x',
      threadId: 7,
    })) as SocketReply<unknown>;
    expect(badSocket).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const outsider = await call(`${API.roomMessages(design.id)}?thread=${root.body.id}`, {
      token: aliceSession.token,
    });
    expect(outsider.status).toBe(403);
  });
});
