/**
 * SIGTERM sent to the built server (`dist/server`, `nx run server:build`) as a real process during
 * a group call of three real socket.io clients: every client is told (`server.draining`), new
 * calls are refused, the call is ended when `SHUTDOWN_GRACE_SECONDS` is over, the history is
 * complete (read after a restart on the same data folder), and the process exits 0 within the
 * grace; and when the call ends by itself first, the process exits then.
 */
import type {
  CallEndedEvent,
  CallHistoryResponse,
  CallInfo,
  RoomSummary,
  ServerDrainingEvent,
} from '@parley/protocol';
import { API } from '@parley/protocol';
import { launchParley, type ParleyProcess } from '@parley/test-support/parley-process';
import { connectSocket, loginOverRest, type Reply, socketRequest } from '@parley/test-support/sockets';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Socket } from 'socket.io-client';
import { DRAIN_END_REASON } from './drain.service';

const ROOT = resolve(__dirname, '../../../../..');
const ENTRY = join(ROOT, 'dist/server/apps/server/src/main.js');
/** Closing after the drain (mediasoup workers, sockets, HTTP, the database) takes well under this. */
const CLOSE_MS = 10_000;
/** The seed's Design room: bob, carol and erin. */
const CALLERS = ['bob', 'carol', 'erin'] as const;
type Caller = (typeof CALLERS)[number];

jest.setTimeout(120_000);

const REFUSED = {
  ok: false,
  error: { code: 'unavailable', message: 'This server is shutting down; try again in a moment' },
};

async function rest<T>(base: string, path: string, token: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The next `event` on `socket`. */
const next = <T>(socket: Socket, event: string) => new Promise<T>((done) => socket.once(event, done));

describe('SIGTERM drains the built server (real process)', () => {
  const servers: ParleyProcess[] = [];
  const sockets: Socket[] = [];

  beforeAll(() => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npx nx run server:build\` first.`);
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    // Newest first: a restart shares the data folder of the server before it.
    for (const server of servers.reverse()) await server.stop();
  });

  async function launch(env: Record<string, string>): Promise<ParleyProcess> {
    const server = await launchParley({
      root: ROOT,
      tmpPrefix: 'parley-drain-',
      env: {
        MEDIASOUP_WORKERS: '1',
        WEBRTC_RTC_PORT: '0',
        PROVIDER_HEALTH_INTERVAL_SECONDS: '0',
        ...env,
      },
    });
    servers.push(server);
    return server;
  }

  /** bob starts a group call in the Design room, carol and erin join it; each has a tab. */
  async function groupCall(base: string) {
    const alice = await loginOverRest(base, 'alice');
    // Loopback media (tests run in a private network namespace), ephemeral port.
    await rest(base, API.adminProvider('webrtc'), alice.token, {
      method: 'PUT',
      body: JSON.stringify({ settings: { listenIp: '127.0.0.1', announcedAddress: '', rtcPort: 0 } }),
    });
    const token = {} as Record<Caller, string>;
    const tab = {} as Record<Caller, Socket>;
    for (const name of CALLERS) {
      token[name] = (await loginOverRest(base, name)).token;
      tab[name] = await connectSocket(base, token[name]);
      sockets.push(tab[name]);
    }
    const rooms = await rest<RoomSummary[]>(base, API.rooms, token.bob);
    const room = rooms.find((r) => r.name === 'design');
    if (!room) throw new Error('no Design room in the seed');
    const call = await socketRequest<CallInfo>(tab.bob, 'call.start', {
      providerType: 'webrtc',
      target: { kind: 'room', roomId: room.id },
    });
    for (const name of ['carol', 'erin'] as const)
      await socketRequest(tab[name], 'call.room.join', { roomId: room.id });
    return { token, tab, call };
  }

  function exited(server: ParleyProcess) {
    return new Promise<{ code: number | null; signal: string | null; at: number }>((done) =>
      server.process.once('exit', (code, signal) => done({ code, signal, at: Date.now() })),
    );
  }

  it('during a group call: clients told, new calls refused, the call ended at the grace, history complete, exit 0', async () => {
    const grace = 4;
    const server = await launch({ SHUTDOWN_GRACE_SECONDS: String(grace) });
    const { tab, call } = await groupCall(server.url);
    // Two users outside the call, for the refused starts.
    const dave = await loginOverRest(server.url, 'dave');
    const daveTab = await connectSocket(server.url, dave.token);
    sockets.push(daveTab);
    const townSquare = (await rest<RoomSummary[]>(server.url, API.rooms, dave.token)).find(
      (room) => room.name === 'town-square',
    );
    const frank = await loginOverRest(server.url, 'frank');

    const told = CALLERS.map((name) => next<ServerDrainingEvent>(tab[name], 'server.draining'));
    const ended = CALLERS.map((name) => next<CallEndedEvent>(tab[name], 'call.ended'));
    const gone = CALLERS.map((name) => next<string>(tab[name], 'disconnect'));
    const exit = exited(server);
    const sentAt = Date.now();
    server.process.kill('SIGTERM');

    expect(await Promise.all(told)).toEqual(CALLERS.map(() => ({ graceSeconds: grace, reconnect: true })));
    const ready = await fetch(`${server.url}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      error: { drain: { status: 'down', message: 'draining: the server is shutting down' } },
    });
    const oneToOne = { providerType: 'webrtc', target: { kind: 'user', userId: frank.user.id } };
    expect((await daveTab.timeout(10_000).emitWithAck('call.start', oneToOne)) as Reply<unknown>).toEqual(
      REFUSED,
    );
    const link = { roomId: townSquare?.id };
    expect((await daveTab.timeout(10_000).emitWithAck('call.room.join', link)) as Reply<unknown>).toEqual(
      REFUSED,
    );

    for (const event of await Promise.all(ended)) {
      expect(event).toMatchObject({ call: { id: call.id, state: 'ended' }, reason: DRAIN_END_REASON });
    }
    expect(await Promise.all(gone)).toEqual(CALLERS.map(() => 'io server disconnect'));
    const { code, signal, at } = await exit;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // The call went on for the grace, and the process was gone soon after.
    expect(at - sentAt).toBeGreaterThanOrEqual(grace * 1000 - 500);
    expect(at - sentAt).toBeLessThan(grace * 1000 + CLOSE_MS);

    // The history as users read it, from a restart on the same data folder: the drain wrote it
    // all (a call left open would read "call failed: the server restarted").
    const again = await launch({ DATA_DIR: server.dataDir });
    const bob = await loginOverRest(again.url, 'bob');
    const history = await rest<CallHistoryResponse>(again.url, API.callHistory, bob.token);
    const row = history.entries.find((entry) => entry.call.id === call.id)?.call;
    expect(row).toMatchObject({ state: 'ended', outcome: 'completed', endReason: DRAIN_END_REASON });
    expect(Date.parse(row?.endedAt ?? '')).toBeGreaterThanOrEqual(sentAt + grace * 1000 - 500);
    expect(row?.participants).toHaveLength(3);
    for (const participant of row?.participants ?? []) {
      expect(participant).toMatchObject({ state: 'left', leftAt: row?.endedAt });
    }
  });

  it('exits as soon as the last live call ends by itself, before the grace', async () => {
    const grace = 60;
    const server = await launch({ SHUTDOWN_GRACE_SECONDS: String(grace) });
    const { tab, call } = await groupCall(server.url);
    const told = CALLERS.map((name) => next<ServerDrainingEvent>(tab[name], 'server.draining'));
    const exit = exited(server);
    const sentAt = Date.now();
    server.process.kill('SIGTERM');
    await Promise.all(told);
    for (const name of CALLERS) await socketRequest(tab[name], 'call.hangup', { callId: call.id });
    const { code, at } = await exit;
    expect(code).toBe(0);
    expect(at - sentAt).toBeLessThan(CLOSE_MS + 5_000);
  });
});
