// The server half against a real Janus (Debian's janus, started per suite by test/support/janus.ts):
// health through the admin API, a VideoRoom per call, tokens per user valid during the call only.
import type { ConnectorCall, ConnectorContext, ConnectorUser } from '@parley/connector-sdk';
import { startJanus, type TestJanus } from '@parley/test-support/janus';
import { JanusAdminClient } from './admin-client';
import { JanusCalls, checkJanus, createJanusDefinition, roomIdOf } from './janus.connector';
import type { JanusSettings } from './settings';

function user(id: string): ConnectorUser {
  return {
    id,
    username: id,
    displayName: id.toUpperCase(),
    email: null,
    avatarUrl: '/a.svg',
    isAdmin: false,
  };
}

/** `create` on the Janus API with `token` (null: none): whether Janus accepts it. */
function sessionWith(url: string, token: string | null): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'janus-protocol');
    ws.onopen = () =>
      ws.send(JSON.stringify({ janus: 'create', transaction: 'c', ...(token ? { token } : {}) }));
    ws.onmessage = (event) => {
      const answer = JSON.parse(String(event.data)) as { janus: string };
      ws.close();
      resolve(answer.janus === 'success');
    };
    ws.onerror = () => reject(new Error('cannot connect'));
  });
}

describe('Janus connector (real Janus)', () => {
  let janus: TestJanus;
  let settings: JanusSettings;
  const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const context = (): ConnectorContext<JanusSettings> => ({
    settings,
    publicUrl: 'http://parley.test',
    iceConfig: () => ({
      iceServers: [{ urls: ['stun:198.18.0.1:3478'] }],
      iceTransportPolicy: 'all',
      expiresAt: null,
    }),
    logger,
  });

  beforeAll(async () => {
    janus = await startJanus({
      adminSecret: 'admin-secret-spec',
      roomAdminKey: 'room-key-spec',
      tokenAuth: true,
    });
  });
  afterAll(() => janus?.dispose());
  beforeEach(() => {
    settings = {
      gatewayUrl: janus.wsUrl,
      adminUrl: janus.adminUrl,
      adminSecret: janus.adminSecret,
      roomAdminKey: 'room-key-spec',
      tokenAuth: true,
      maxPublishers: 4,
      bitrate: 0,
    };
  });

  it('check(): healthy with the right secret, names the problem otherwise', async () => {
    await expect(checkJanus(settings)).resolves.toEqual({
      ok: true,
      detail: expect.stringMatching(/^Janus 1\.\d+\.\d+ .*VideoRoom ready, token auth on$/),
    });
    await expect(checkJanus({ ...settings, adminSecret: 'wrong' })).resolves.toEqual({
      ok: false,
      reason: 'Janus refused the Gateway Admin Secret (403 Unauthorized)',
    });
    await expect(checkJanus({ ...settings, tokenAuth: false })).resolves.toMatchObject({
      ok: false,
      reason: expect.stringContaining('token_auth'),
    });
    const closed = await checkJanus({ ...settings, adminUrl: 'ws://127.0.0.1:9' });
    expect(closed).toMatchObject({
      ok: false,
      reason: expect.stringContaining('cannot reach the Janus admin API'),
    });
  });

  it('a call: room created at onCallCreated, a token per user valid during the call, both gone at the end', async () => {
    const calls = new JanusCalls();
    const definition = createJanusDefinition(calls, __filename);
    const call: ConnectorCall = {
      id: `call-${Date.now()}`,
      target: { kind: 'user', userId: 'bob' },
      ownerId: 'alice',
      title: 'Bob',
      createdAt: new Date().toISOString(),
    };
    const admin = new JanusAdminClient(janus.adminUrl, janus.adminSecret);
    const rooms = async () =>
      (
        (await admin.videoroom({ request: 'list', admin_key: 'room-key-spec' }))['list'] as { room: number }[]
      ).map((r) => r.room);

    await definition.hooks?.onCallCreated?.(call, context());
    expect(await rooms()).toContain(roomIdOf(call.id));
    const a = await definition.joinInfo(call, user('alice'), context());
    const b = await definition.joinInfo(call, user('bob'), context());
    expect(a).toMatchObject({ gatewayUrl: janus.wsUrl, room: roomIdOf(call.id), display: 'ALICE' });
    expect(typeof a['token']).toBe('string');
    expect(a['token']).not.toBe(b['token']);
    expect(a['pin']).toBe(b['pin']);
    expect(a['iceServers']).toEqual([{ urls: ['stun:198.18.0.1:3478'] }]);
    expect(JSON.stringify(a)).not.toContain(janus.adminSecret);
    // The same user gets the same token within the call.
    expect((await definition.joinInfo(call, user('alice'), context()))['token']).toBe(a['token']);

    await expect(sessionWith(janus.wsUrl, String(a['token']))).resolves.toBe(true);
    await expect(sessionWith(janus.wsUrl, String(b['token']))).resolves.toBe(true);
    await expect(sessionWith(janus.wsUrl, null)).resolves.toBe(false);

    await definition.hooks?.onCallEnded?.(call, context());
    await expect(sessionWith(janus.wsUrl, String(a['token']))).resolves.toBe(false);
    await expect(sessionWith(janus.wsUrl, String(b['token']))).resolves.toBe(false);
    expect(await rooms()).not.toContain(roomIdOf(call.id));
    expect(calls.activeCalls).toBe(0);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('joinInfo creates the room itself when onCallCreated did not run (e.g. after a restart)', async () => {
    const definition = createJanusDefinition(new JanusCalls(), __filename);
    const call: ConnectorCall = {
      id: `room-call-${Date.now()}`,
      target: { kind: 'room', roomId: 'town-square' },
      ownerId: 'town-square',
      title: 'Town Square',
      createdAt: new Date().toISOString(),
    };
    const info = await definition.joinInfo(call, user('carol'), context());
    await expect(sessionWith(janus.wsUrl, String(info['token']))).resolves.toBe(true);
    await definition.hooks?.onCallEnded?.(call, context());
    await expect(sessionWith(janus.wsUrl, String(info['token']))).resolves.toBe(false);
  });
});
