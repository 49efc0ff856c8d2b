/**
 * The socket limits of #17 over real sockets against the real app (default limits, a real
 * mediasoup worker): a flood answered `rate_limited` with the socket and other users unaffected,
 * per-user budgets for chat messages and reactions, per-participant caps on WebRTC transports and
 * producers, unknown request names answered, and the refusals counted in `/metrics`. Waits on
 * replies and events only (bounded polling for a window to pass).
 */
import type {
  CallInfo,
  CallJoinResponse,
  ChatMessage,
  RoomSummary,
  SocketReply,
  WebrtcTransportInfo,
} from '@parley/protocol';
import { API } from '@parley/protocol';
import { RoomService } from '@parley/server-directory';
import { parsePrometheusText, sampleValue } from './ops/testing';
import { signInAll, startTestApp, useLoopbackSfu, type TestApp, type TestTab, until } from './testing';

const METRICS_TOKEN = 'limits-metrics-token-0123456789';
const OPUS = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };
const USERS = ['alice', 'bob', 'carol', 'dave'] as const;
type Name = (typeof USERS)[number];

type Reply = SocketReply<unknown>;

/** Sends `count` requests at once from `tab` and sorts the replies. */
async function flood(tab: TestTab, count: number, request: (i: number) => [string, unknown]) {
  const replies = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const [name, payload] = request(i);
      return tab.socket.timeout(30_000).emitWithAck(name, payload) as Promise<Reply>;
    }),
  );
  const ok = replies.filter((reply) => reply.ok);
  const limited = replies.filter((reply) => !reply.ok && reply.error.code === 'rate_limited');
  return { replies, ok, limited, other: replies.length - ok.length - limited.length };
}

describe('socket limits (integration)', () => {
  let t: TestApp;
  const token = {} as Record<Name, string>;
  const id = {} as Record<Name, string>;
  let roomId: string;

  async function metrics() {
    const response = await fetch(`${t.base}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    return parsePrometheusText(await response.text());
  }

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN });
    await signInAll(t, USERS, token, id);
    await useLoopbackSfu(t, token.alice, { maxBitrate: 800000 });
    roomId = (
      await t.app
        .get(RoomService)
        .createRoom('chat', 'limits-room', 'Limits room', [id.alice, id.bob, id.carol, id.dave])
    ).id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers a socket flood rate_limited: the socket stays up, other users are unaffected', async () => {
    const bob = await t.tab(token.bob);
    const carol = await t.tab(token.carol);
    let dropped = false;
    bob.socket.on('disconnect', () => (dropped = true));

    const [result, carolDuring] = await Promise.all([
      flood(bob, 1000, () => ['session.whoami', {}]),
      carol.ok('session.whoami', {}),
    ]);
    // The first window's 300 pass (a slow machine may reach a second window), the rest are refused.
    expect(result.ok.length).toBeGreaterThanOrEqual(300);
    expect(result.limited.length).toBeGreaterThanOrEqual(400);
    expect(result.other).toBe(0);
    const refusal = result.limited[0];
    if (refusal.ok) throw new Error('not a refusal');
    expect(refusal.error.message).toMatch(/^Too many requests from this tab: try again in \d+ s$/);
    expect(refusal.error.retryAfterMs).toBeGreaterThan(0);
    expect(refusal.error.retryAfterMs).toBeLessThanOrEqual(3000);
    expect(carolDuring.username).toBe('carol');

    // Still connected; once the window has passed the same socket is answered again.
    expect(bob.socket.connected).toBe(true);
    const again = await until('the window to pass', async () => {
      const reply = await bob.request('session.whoami', {});
      return reply.ok ? reply.data : undefined;
    });
    expect(again.username).toBe('bob');
    expect(dropped).toBe(false);

    const families = await metrics();
    expect(
      sampleValue(families, 'parley_socket_rate_limited_total', { event: 'session.whoami', limit: 'socket' }),
    ).toBeGreaterThanOrEqual(result.limited.length);
    expect(
      sampleValue(families, 'parley_socket_messages_total', {
        event: 'session.whoami',
        outcome: 'rate_limited',
      }),
    ).toBeGreaterThanOrEqual(result.limited.length);
    bob.close();
    carol.close();
  });

  it('stores at most CHAT_MESSAGE_LIMIT (20 in 10 s) of a chat flood; others still chat', async () => {
    const dave = await t.tab(token.dave);
    const carol = await t.tab(token.carol);
    const rooms = await t.rest<RoomSummary[]>(API.rooms, { token: token.dave });
    const town = rooms.body.find((room) => room.name === 'town-square');
    if (!town) throw new Error('no town-square room');

    const result = await flood(dave, 1000, (i) => ['room.send', { roomId: town.id, body: `flood ${i}` }]);
    expect(result.ok).toHaveLength(20);
    expect(result.other).toBe(0);
    const refusal = result.limited.find(
      (reply) => !reply.ok && reply.error.message.startsWith('Too many chat messages'),
    );
    expect(refusal).toBeDefined();

    const stored = await t.rest<ChatMessage[]>(API.roomMessages(town.id), { token: token.carol });
    expect(stored.body.filter((message) => message.body.startsWith('flood '))).toHaveLength(20);
    const carolSays = await carol.ok('room.send', { roomId: town.id, body: 'carol still talks' });
    expect(carolSays.body).toBe('carol still talks');
    dave.close();
    carol.close();
  });

  it('applies the same chat budget to POST /api/rooms/:id/messages: 429 with Retry-After', async () => {
    const erin = await t.login('erin');
    const rooms = await t.rest<RoomSummary[]>(API.rooms, { token: erin });
    const town = rooms.body.find((room) => room.name === 'town-square');
    if (!town) throw new Error('no town-square room');
    const post = (body: string) =>
      fetch(t.base + API.roomMessages(town.id), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${erin}` },
        body: JSON.stringify({ body }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await post(`rest flood ${i}`)).status);
    expect(statuses).toEqual(Array(20).fill(201));
    const refused = await post('one more');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /^Too many chat messages: try again in \d+ s$/,
    );
    // One budget for both ways of sending.
    const erinTab = await t.tab(erin);
    expect(
      await erinTab.request('room.send', { roomId: town.id, body: 'and over the socket' }),
    ).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    erinTab.close();
  });

  describe('in a group call', () => {
    let alice: TestTab;
    let bob: TestTab;
    let call: CallInfo;

    beforeAll(async () => {
      alice = await t.tab(token.alice);
      bob = await t.tab(token.bob);
      const started: CallJoinResponse = await alice.ok('call.room.join', { roomId, providerType: 'webrtc' });
      call = started.call;
      await bob.ok('call.room.join', { roomId, providerType: 'webrtc' });
    });

    afterAll(() => {
      alice?.close();
      bob?.close();
    });

    it('delivers at most CALL_REACTION_LIMIT (20 in 10 s) of a reaction flood', async () => {
      const seen = alice.record('call.reaction');
      const result = await flood(bob, 200, () => ['call.reaction', { callId: call.id, emoji: '👍' }]);
      expect(result.ok).toHaveLength(20);
      expect(result.limited).toHaveLength(180);
      // Everything pushed before this reaches alice before the hand goes up.
      const handUp = alice.next(
        'call.updated',
        (c) => !!c.participants.find((p) => p.userId === id.bob)?.handRaisedAt,
      );
      await bob.ok('call.hand', { callId: call.id, raised: true });
      await handUp;
      expect(seen.filter((reaction) => reaction.userId === id.bob)).toHaveLength(20);
      expect(
        sampleValue(await metrics(), 'parley_socket_rate_limited_total', {
          event: 'call.reaction',
          limit: 'call.reaction',
        }),
      ).toBe(180);
    });

    it('caps one participant at 6 WebRTC transports and 8 producers (conflict), counting requests in flight', async () => {
      const transports = await Promise.all(
        Array.from(
          { length: 10 },
          (_, i) =>
            bob.request('webrtc.transport.create', {
              callId: call.id,
              direction: i % 2 ? 'recv' : 'send',
            }) as Promise<SocketReply<WebrtcTransportInfo>>,
        ),
      );
      const made = transports.flatMap((reply) => (reply.ok ? [reply.data] : []));
      expect(made).toHaveLength(6);
      const refused = transports.filter((reply) => !reply.ok);
      expect(refused).toHaveLength(4);
      expect(refused[0]).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: expect.stringContaining('at most 6') },
      });
      // Another participant is not affected.
      expect(
        (await alice.request('webrtc.transport.create', { callId: call.id, direction: 'send' })).ok,
      ).toBe(true);

      const send = made[0].id;
      const produce = (ssrc: number) =>
        bob.request('webrtc.produce', {
          transportId: send,
          kind: 'audio',
          rtpParameters: { codecs: [OPUS], encodings: [{ ssrc }] },
          appData: { source: 'mic' },
        });
      const produced = await Promise.all(Array.from({ length: 12 }, (_, i) => produce(1000 + i)));
      const producers = produced.flatMap((reply) => (reply.ok ? [reply.data.producerId] : []));
      expect(producers).toHaveLength(8);
      expect(produced.filter((reply) => !reply.ok)).toEqual(
        Array(4).fill({
          ok: false,
          error: { code: 'conflict', message: expect.stringContaining('at most 8') },
        }),
      );
      // Closing one makes room for one.
      await bob.ok('webrtc.producer.close', { producerId: producers[0] });
      expect((await produce(2000)).ok).toBe(true);
      expect((await produce(2001)).ok).toBe(false);
    });
  });

  it('answers a request name no gateway handles not_found, and keeps the socket working', async () => {
    const carol = await t.tab(token.carol);
    const unknown = (await carol.socket.timeout(5000).emitWithAck('nope.nothing', { x: 1 })) as Reply;
    expect(unknown).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'Unknown request "nope.nothing"' },
    });
    expect((await carol.ok('session.whoami', {})).username).toBe('carol');
    expect(
      sampleValue(await metrics(), 'parley_socket_messages_total', {
        event: '(unknown)',
        outcome: 'not_found',
      }),
    ).toBe(1);
    carol.close();
  });
});
