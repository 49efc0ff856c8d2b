/**
 * Test kit for integration specs (not built into dist): the real app on port 0 with a temp SQLite
 * file, REST over fetch, users over socket.io-client. Waits on events only, never on sleeps.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type {
  SessionResponse,
  SocketEventName,
  SocketEvents,
  SocketReply,
  SocketRequestName,
  SocketRequests,
} from '@parley/protocol';
import { API, applyCallDelta, type CallDelta, type CallInfo } from '@parley/protocol';
import { buildSync } from 'esbuild';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from './config';
import { createApp } from './create-app';

export interface TestApp {
  app: NestExpressApplication;
  base: string;
  rest<T>(
    path: string,
    options?: { method?: string; body?: unknown; token?: string },
  ): Promise<{ status: number; body: T }>;
  login(username: string): Promise<string>;
  /** A connected tab of the user. */
  tab(token: string): Promise<TestTab>;
  close(): Promise<void>;
}

export interface TestTab {
  socket: Socket;
  request<N extends SocketRequestName>(
    name: N,
    payload: unknown,
  ): Promise<SocketReply<SocketRequests[N]['response']>>;
  /** Like request, but fails the test unless the reply is ok. */
  ok<N extends SocketRequestName>(name: N, payload: unknown): Promise<SocketRequests[N]['response']>;
  /** The next `event` whose payload matches (listening starts now). */
  next<E extends SocketEventName>(
    event: E,
    match?: (data: SocketEvents[E]) => boolean,
  ): Promise<SocketEvents[E]>;
  /** Every `event` received from now on. */
  record<E extends SocketEventName>(event: E): SocketEvents[E][];
  close(): void;
}

/** Signs each of `names` in, filling `token` and `id` (the user's id) by name. */
export async function signInAll<N extends string>(
  t: TestApp,
  names: readonly N[],
  token: Record<N, string>,
  id: Record<N, string>,
): Promise<void> {
  for (const name of names) {
    token[name] = await t.login(name);
    id[name] = (await t.rest<SessionResponse>(API.session, { token: token[name] })).body.user.id;
  }
}

/**
 * Points the built-in provider's SFU at loopback on an ephemeral port (the specs run in a
 * private network namespace), with `extra` settings; fails unless the admin save succeeds.
 */
export async function useLoopbackSfu(t: TestApp, adminToken: string, extra: Record<string, unknown> = {}) {
  const saved = await t.rest(API.adminProvider('webrtc'), {
    method: 'PUT',
    token: adminToken,
    body: { settings: { listenIp: '127.0.0.1', announcedAddress: '', rtcPort: 0, ...extra } },
  });
  if (saved.status !== 200) throw new Error(`saving the WebRTC settings answered ${saved.status}`);
}

const ROOT = resolve(__dirname, '../../../..');

/** Bundles the webrtc connector's client half (as `nx run connector-webrtc:build-client` does). */
export function bundleWebrtcClient(outfile: string): string {
  buildSync({
    entryPoints: [join(ROOT, 'libs/connectors/webrtc/src/client/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** Polls `probe` until it gives a value (bounded: at most `tries` × 100 ms). */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-calls-'));
  mkdirSync(join(dir, 'portal'));
  writeFileSync(join(dir, 'portal/index.html'), '<!doctype html><title>Parley portal</title>');
  const config = loadConfig(
    {
      DATA_DIR: dir,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PORTAL_DIST: join(dir, 'portal'),
      MEDIASOUP_WORKERS: '1',
      // Free media ports: other test servers may run side by side (tools/test.sh).
      WEBRTC_RTC_PORT: '0',
      WEBRTC_CLIENT_MODULE: bundleWebrtcClient(join(dir, 'webrtc-client.js')),
      DEFAULT_STUN_URL: 'none',
      ...env,
    },
    dir,
  );
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const sockets: Socket[] = [];

  const rest: TestApp['rest'] = async (path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    const response = await fetch(base + path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as never };
  };

  const login = async (username: string) => {
    const { status, body } = await rest<SessionResponse>(API.login, {
      method: 'POST',
      body: { username, password: 'parley' },
    });
    if (status !== 200) throw new Error(`login ${username}: ${status}`);
    return body.token;
  };

  const tab = async (token: string): Promise<TestTab> => {
    const socket = io(base, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { token },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    const request: TestTab['request'] = (name, payload) => socket.emitWithAck(name, payload);
    // As the widget does (CallUpdates): a group call's `call.delta` applied to the snapshot it was
    // made from is seen as the `call.updated` of the whole new snapshot. One that does not fit fails.
    const updates = new EventEmitter();
    const snapshots = new Map<string, CallInfo>();
    socket.on('call.updated', (call: CallInfo) => {
      snapshots.set(call.id, call);
      updates.emit('call.updated', call);
    });
    socket.on('call.delta', (delta: CallDelta) => {
      const base = snapshots.get(delta.callId);
      const next = base && applyCallDelta(base, delta);
      if (!next) {
        updates.emit(
          'error',
          new Error(`call.delta ${delta.baseVersion}->${delta.version} does not fit v${base?.version}`),
        );
        return;
      }
      snapshots.set(next.id, next);
      updates.emit('call.updated', next);
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- socket.io and EventEmitter both take any-typed listeners
    type Listener = (...args: any[]) => void;
    const on = (event: string, listener: Listener) =>
      event === 'call.updated' ? updates.on(event, listener) : socket.on(event, listener);
    const off = (event: string, listener: Listener) =>
      event === 'call.updated' ? updates.off(event, listener) : socket.off(event, listener);
    return {
      socket,
      request,
      ok: async (name, payload) => {
        const reply = await request(name, payload);
        if (!reply.ok) throw new Error(`${name} failed: ${reply.error.code} ${reply.error.message}`);
        return reply.data;
      },
      next: (event, match = () => true) =>
        new Promise((resolve) => {
          const listener = (data: SocketEvents[typeof event]) => {
            if (match(data)) {
              off(event as string, listener);
              resolve(data);
            }
          };
          on(event as string, listener);
        }),
      record: (event) => {
        const seen: SocketEvents[typeof event][] = [];
        on(event as string, (data: SocketEvents[typeof event]) => seen.push(data));
        return seen;
      },
      close: () => socket.disconnect(),
    };
  };

  return {
    app,
    base,
    rest,
    login,
    tab,
    close: async () => {
      for (const socket of sockets) socket.disconnect();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
