/**
 * Socket payload validation (#17) against the real app (temp SQLite, a real mediasoup worker, real
 * socket.io clients): the findings replayed one by one, then a property-based spec (fast-check,
 * fixed seed) sending malformed payloads to EVERY request the running server handles. Every reply
 * must be a clean `SocketReply` (never `internal`, never mediasoup's or a stack's text, never a
 * long echo of the input) and the server must log no error for any of them.
 */
import { Logger } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { GATEWAY_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants';
import type {
  CallInfo,
  RoomSummary,
  SocketReply,
  SocketRequestName,
  WebrtcConsumerInfo,
  WebrtcJoinInfo,
  WebrtcTransportInfo,
} from '@parley/protocol';
import { API } from '@parley/protocol';
import fc from 'fast-check';
import { signInAll, startTestApp, useLoopbackSfu, type TestApp, type TestTab } from './testing';

const OPUS = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };
const VP8 = { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 };
const FINGERPRINT = Array.from({ length: 32 }, () => 'AB').join(':');
const DTLS = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: FINGERPRINT }] };

/** The longest error reply (JSON) any malformed payload may get: no long echo of the input. */
const MAX_ERROR_REPLY = 1_000;
/** Text that must never reach a client: JavaScript errors, mediasoup internals, stacks. */
const LEAK =
  /TypeError|Cannot read propert|is not iterable|is not a function|undefined|Internal error|\n\s+at |\[method:/;
const SEED = Number(process.env['PARLEY_FC_SEED'] ?? 1717);
const NUM_RUNS = Number(process.env['PARLEY_FC_RUNS'] ?? 30);

/** The `@SubscribeMessage` names of every gateway the running app has (its metadata, not a list). */
function handledEvents(t: TestApp): string[] {
  const scanner = new MetadataScanner();
  const names = new Set<string>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype || !Reflect.getMetadata(GATEWAY_METADATA, wrapper.metatype))
        continue;
      for (const method of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const name: unknown = Reflect.getMetadata(MESSAGE_METADATA, instance[method] as object);
        if (typeof name === 'string') names.add(name);
      }
    }
  }
  return [...names].sort();
}

/** A clipped view of a value for failure messages (payloads can be megabytes). */
function clip(value: unknown, max = 300): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/** An object with `key` as an own, enumerable property, `__proto__` included (JSON carries it). */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const SPECIAL_KEYS = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

/** Values no field expects: wrong types, nested objects, huge strings and arrays, odd keys, extremes. */
const hostile: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; object: unknown; array: unknown }>(
  (tie) => ({
    value: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'hostile' },
      fc.constantFrom(null, true, false, 0, -1, 0.5, 16, 128, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 1e308),
      fc.constantFrom('', ' ', 'null', 'audio/opus', 'video/opus', 'sha-256', '<b>x</b>', '\u0000', '😀'),
      fc.string({ maxLength: 40 }),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.constantFrom(70, 5_000, 300_000).map((n) => 'x'.repeat(n)),
      fc.constantFrom(101, 5_000).map((n) => Array.from({ length: n }, (_, i) => i)),
      tie('object'),
      tie('array'),
    ),
    array: fc.array(tie('value'), { maxLength: 3 }),
    object: fc
      .array(
        fc.tuple(fc.oneof(fc.constantFrom(...SPECIAL_KEYS), fc.string({ maxLength: 12 })), tie('value')),
        {
          maxLength: 3,
        },
      )
      .map((entries) => entries.reduce((object, [key, value]) => withKey(object, key, value), {})),
  }),
).value;

type Path = (string | number)[];

/** Every path into a sample payload (fields, nested fields, array items). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [index, item] as const)
    : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
}

type Mutation =
  | { kind: 'replace'; path: Path; value: unknown }
  | { kind: 'drop'; path: Path }
  | { kind: 'add'; path: Path; key: string; value: unknown };

function mutate(sample: unknown, mutations: Mutation[]): unknown {
  const payload = structuredClone(sample) as Record<string | number, unknown>;
  for (const mutation of mutations) {
    const path = mutation.path;
    const parentPath = mutation.kind === 'add' ? path : path.slice(0, -1);
    let parent: unknown = payload;
    for (const key of parentPath) parent = (parent as Record<string | number, unknown> | null)?.[key];
    if (typeof parent !== 'object' || parent === null) continue;
    const target = parent as Record<string | number, unknown>;
    if (mutation.kind === 'add') withKey(target as Record<string, unknown>, mutation.key, mutation.value);
    else if (mutation.kind === 'drop') delete target[path[path.length - 1]];
    else target[path[path.length - 1]] = mutation.value;
  }
  return payload;
}

/** A malformed payload for a request whose valid form is `sample`. */
function payloadFor(sample: Record<string, unknown>): fc.Arbitrary<unknown> {
  const paths = pathsOf(sample);
  const objectPaths: Path[] = [
    [],
    ...paths.filter((path) => {
      let value: unknown = sample;
      for (const key of path) value = (value as Record<string | number, unknown>)[key];
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    }),
  ];
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    ...(paths.length > 0
      ? [
          fc.record({
            kind: fc.constant('replace' as const),
            path: fc.constantFrom(...paths),
            value: hostile,
          }),
          fc.record({ kind: fc.constant('drop' as const), path: fc.constantFrom(...paths) }),
        ]
      : []),
    fc.record({
      kind: fc.constant('add' as const),
      path: fc.constantFrom(...objectPaths),
      key: fc.oneof(
        fc.constantFrom(...SPECIAL_KEYS),
        fc.string({ maxLength: 12 }),
        fc.constant('k'.repeat(5_000)),
      ),
      value: hostile,
    }),
  );
  return fc.oneof(
    { weight: 1, arbitrary: hostile },
    {
      weight: 4,
      arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((list) => mutate(sample, list)),
    },
  );
}

/** Why `reply` is not a clean answer to a malformed payload (null: it is). */
function problemOf(reply: unknown): string | null {
  if (typeof reply !== 'object' || reply === null) return 'not a SocketReply';
  const { ok, error } = reply as SocketReply<unknown> & { error?: { code?: unknown; message?: unknown } };
  if (ok === true) return null;
  if (ok !== false || typeof error !== 'object' || error === null) return 'not a SocketReply';
  if (error.code === 'internal') return 'answered internal';
  if (error.code === 'rate_limited') return 'rate limited (the limits are off here: the handler never ran)';
  if (typeof error.code !== 'string' || typeof error.message !== 'string' || !error.message)
    return 'no code/message';
  if (JSON.stringify(reply).length > MAX_ERROR_REPLY) return `reply longer than ${MAX_ERROR_REPLY} chars`;
  if (LEAK.test(error.message)) return 'internal text in the message';
  return null;
}

describe('socket payload validation (integration)', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  const id: Record<string, string> = {};
  let alice: TestTab;
  let bob: TestTab;
  let call: CallInfo;
  let roomId: string;
  const media = {
    aliceSend: '',
    aliceRecv: '',
    aliceProducer: '',
    bobProducer: '',
    bobVideo: '',
    consumer: '',
  };
  let videoConsumer: WebrtcConsumerInfo;
  let caps: Record<string, unknown>;
  const logged: string[] = [];

  beforeAll(async () => {
    const record =
      (level: string) =>
      (message: unknown, ...rest: unknown[]) => {
        logged.push(
          `${level}: ${[message, ...rest].map((part) => (typeof part === 'string' ? part : clip(part))).join(' ')}`,
        );
      };
    jest.spyOn(Logger.prototype, 'error').mockImplementation(record('error'));
    // No rate limits: every one of the property's requests must reach its handler.
    t = await startTestApp({
      SOCKET_MESSAGE_LIMIT: 'off',
      USER_MESSAGE_LIMIT: 'off',
      CHAT_MESSAGE_LIMIT: 'off',
      CALL_REACTION_LIMIT: 'off',
    });
    await signInAll(t, ['alice', 'bob'], token, id);
    await useLoopbackSfu(t, token.alice);
    alice = await t.tab(token.alice);
    bob = await t.tab(token.bob);
    const rooms = await t.rest<RoomSummary[]>(API.rooms, { token: token.alice });
    roomId = rooms.body.find((room) => room.name === 'town-square')?.id ?? '';

    // A one-to-one call with media both ways: every webrtc.* id below is real.
    const incoming = bob.next('call.incoming');
    call = await alice.ok('call.start', { providerType: 'webrtc', target: { kind: 'user', userId: id.bob } });
    await incoming;
    await bob.ok('call.answer', { callId: call.id });
    const joined = await alice.ok('call.join', { callId: call.id });
    caps = (joined.joinInfo as unknown as WebrtcJoinInfo).routerRtpCapabilities;
    const transport = (tab: TestTab, direction: string): Promise<WebrtcTransportInfo> =>
      tab.ok('webrtc.transport.create', { callId: call.id, direction });
    media.aliceSend = (await transport(alice, 'send')).id;
    media.aliceRecv = (await transport(alice, 'recv')).id;
    const bobSend = (await transport(bob, 'send')).id;
    await transport(bob, 'recv');
    const produce = (tab: TestTab, transportId: string, kind: string, codec: object, ssrc: number) =>
      tab.ok('webrtc.produce', {
        transportId,
        kind,
        rtpParameters: { codecs: [codec], encodings: [{ ssrc }] },
        appData: { source: kind === 'audio' ? 'mic' : 'camera' },
      });
    media.aliceProducer = (await produce(alice, media.aliceSend, 'audio', OPUS, 1111)).producerId;
    media.bobProducer = (await produce(bob, bobSend, 'audio', OPUS, 2222)).producerId;
    media.bobVideo = (await produce(bob, bobSend, 'video', VP8, 3333)).producerId;
    media.consumer = (
      await alice.ok('webrtc.consume', {
        callId: call.id,
        producerId: media.bobProducer,
        rtpCapabilities: caps,
      })
    ).id;
    videoConsumer = await alice.ok('webrtc.consume', {
      callId: call.id,
      producerId: media.bobVideo,
      rtpCapabilities: caps,
    });
  });

  afterAll(async () => {
    await t?.close();
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    logged.length = 0;
  });

  it('answers bad_request, without logging, to an object under `constructor` (and other prototype keys) on every event', async () => {
    for (const event of handledEvents(t)) {
      for (const key of SPECIAL_KEYS) {
        // At the top and one level down (where class-transformer threw a TypeError).
        for (const payload of [withKey({}, key, { a: { b: 1 } }), { callId: withKey({}, key, { a: 1 }) }]) {
          const reply = await alice.request(event as SocketRequestName, payload);
          expect({ event, key, problem: problemOf(reply) }).toEqual({ event, key, problem: null });
        }
      }
    }
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 20; i++) deep = { a: deep };
    expect(await alice.request('presence.set', { presence: 'away', deep })).toEqual({
      ok: false,
      error: { code: 'bad_request', message: `deep${'.a'.repeat(11)} is nested too deeply` },
    });
    // A known DTO field beside it is still checked, and the extra key is named.
    expect(
      await alice.request('presence.set', withKey({ presence: 'away' }, 'constructor', { prototype: {} })),
    ).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'property constructor should not exist' },
    });
    expect(logged).toEqual([]);
  });

  it('refuses objects for the ids and layers of webrtc.consumer.setPreferredLayers', async () => {
    for (const payload of [
      { consumerId: { toString: 'x' }, spatialLayer: 0 },
      { consumerId: videoConsumer.id, spatialLayer: { valueOf: 1 } },
      { consumerId: videoConsumer.id, spatialLayer: 1, temporalLayer: [1] },
      { consumerId: videoConsumer.id, spatialLayer: 99 },
    ]) {
      const reply = await alice.request('webrtc.consumer.setPreferredLayers', payload);
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(problemOf(reply)).toBeNull();
    }
    await alice.ok('webrtc.consumer.setPreferredLayers', { consumerId: videoConsumer.id, spatialLayer: 0 });
    expect(logged).toEqual([]);
  });

  it('answers 400, not 500, to ICE server URLs that are not strings', async () => {
    for (const urls of [
      [withKey({}, '__proto__', null)],
      [{ toString: 'x' }],
      [{ valueOf: 1 }],
      [null],
      [['x']],
    ]) {
      const reply = await t.rest<{ message: string | string[] }>(API.adminIceServers, {
        method: 'POST',
        token: token.alice,
        body: { urls },
      });
      expect(reply.status).toBe(400);
      // A prototype key is refused by the REST edge's PrototypeKeysPipe before the ICE checks.
      expect(String(reply.body.message)).toMatch(
        /urls\[0\]|urls\.0\.(__proto__|toString|valueOf) should not exist/,
      );
    }
    expect(logged).toEqual([]);
  });

  it("never passes mediasoup's own error text to clients", async () => {
    const replies = [
      await alice.request('webrtc.produce', {
        transportId: media.aliceSend,
        kind: 'audio',
        rtpParameters: { codecs: [null], encodings: [{ ssrc: 4444 }] },
      }),
      await alice.request('webrtc.transport.connect', {
        transportId: media.aliceRecv,
        dtlsParameters: { role: 'client', fingerprints: 5 },
      }),
      await alice.request('webrtc.transport.connect', {
        transportId: media.aliceRecv,
        dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'zz' }] },
      }),
      await alice.request('webrtc.produce', {
        transportId: media.aliceSend,
        kind: 'audio',
        rtpParameters: {
          codecs: [
            { ...OPUS, payloadType: 100 },
            { ...OPUS, payloadType: 100 },
          ],
        },
      }),
      await alice.request('webrtc.consume', {
        callId: call.id,
        producerId: media.bobProducer,
        rtpCapabilities: { codecs: [{ kind: 'audio' }] },
      }),
    ];
    for (const reply of replies) {
      expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(problemOf(reply)).toBeNull();
    }
    expect(logged).toEqual([]);
  });

  it('refuses a produce whose kind does not match its codecs (video with Opus, audio with VP8)', async () => {
    for (const [kind, codec, article] of [
      ['video', OPUS, 'a'],
      ['audio', VP8, 'an'],
    ] as const) {
      expect(
        await alice.request('webrtc.produce', {
          transportId: media.aliceSend,
          kind,
          rtpParameters: { codecs: [codec], encodings: [{ ssrc: 5555 }] },
        }),
      ).toEqual({
        ok: false,
        error: {
          code: 'bad_request',
          message: `rtpParameters.codecs.0: ${codec.mimeType} is not ${article} ${kind} codec`,
        },
      });
    }
  });

  it('refuses a 300 KB DTLS fingerprint and bounds every field of the media descriptions', async () => {
    const huge = await alice.request('webrtc.transport.connect', {
      transportId: media.aliceRecv,
      dtlsParameters: {
        role: 'client',
        fingerprints: [{ algorithm: 'sha-256', value: 'A'.repeat(300_000) }],
      },
    });
    expect(huge).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(problemOf(huge)).toBeNull();
    const many = await alice.request('webrtc.produce', {
      transportId: media.aliceSend,
      kind: 'audio',
      rtpParameters: { codecs: [OPUS], encodings: Array.from({ length: 500 }, (_, i) => ({ ssrc: i + 1 })) },
    });
    expect(many).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(problemOf(many)).toBeNull();
    const bulky = await alice.request('webrtc.produce', {
      transportId: media.aliceSend,
      kind: 'audio',
      rtpParameters: { codecs: [OPUS], encodings: [{ ssrc: 6666 }] },
      appData: { source: 'mic', junk: 'x'.repeat(100_000) },
    });
    expect(bulky).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(problemOf(bulky)).toBeNull();
    // A real fingerprint still connects.
    await alice.ok('webrtc.transport.connect', { transportId: media.aliceRecv, dtlsParameters: DTLS });
  });

  it('echoes at most a short prefix of bad input: a 900 KB roomId, 1000 unknown fields', async () => {
    const reply = await alice.request('room.send', { roomId: 'r'.repeat(900_000), body: 'hello' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(problemOf(reply)).toBeNull();
    const fields = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [`field${i}${'y'.repeat(200)}`, i]),
    );
    const wide = await alice.request('presence.set', { presence: 'away', ...fields });
    expect(wide).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(problemOf(wide)).toBeNull();
  });

  it('names nested fields once by their path (target.kind, not target.target.kind)', async () => {
    expect(await alice.request('call.start', { providerType: 'webrtc', target: { kind: 'planet' } })).toEqual(
      {
        ok: false,
        error: { code: 'bad_request', message: 'target.kind must be one of: user, room, space' },
      },
    );
    const reply = await alice.request('webrtc.produce', {
      transportId: media.aliceSend,
      kind: 'audio',
      rtpParameters: { codecs: [{ ...OPUS, payloadType: 'x' }] },
    });
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'bad_request',
        message: expect.stringMatching(/^rtpParameters\.codecs\.0\.payloadType /),
      },
    });
  });

  it('property: every event answers every malformed payload cleanly and logs nothing', async () => {
    const events = handledEvents(t);
    const valid = {
      callId: call.id,
      userId: id.bob,
      transportId: media.aliceSend,
      producerId: media.aliceProducer,
      consumerId: videoConsumer.id,
    };
    // One valid payload per request: a Record over the protocol's names, so a new request must be
    // added here to compile, and compared below with what the gateways handle so none is skipped.
    const samples: Record<SocketRequestName, Record<string, unknown>> = {
      'session.whoami': {},
      'presence.set': { presence: 'away' },
      'room.send': { roomId, body: 'property test', threadId: '00000000-0000-4000-8000-000000000000' },
      'providers.list': {},
      'ice.config': {},
      'admin.providers': {},
      'call.start': { providerType: 'webrtc', target: { kind: 'user', userId: id.bob }, title: 'x' },
      'call.answer': { callId: call.id },
      'call.join': { callId: call.id },
      'call.decline': { callId: call.id },
      'call.cancel': { callId: call.id },
      'call.hangup': { callId: call.id, providerUnavailable: false },
      'call.media': { callId: call.id, muted: false, cameraOff: true },
      'call.room.get': { roomId },
      'call.room.join': { roomId, providerType: 'webrtc' },
      'call.hand': { callId: call.id, raised: true },
      'call.host.mute': { callId: call.id, userId: id.bob },
      'call.host.stopScreenShare': { callId: call.id, userId: id.bob },
      'call.host.lowerHand': { callId: call.id, userId: id.bob },
      'call.host.remove': { callId: call.id, userId: id.bob },
      'call.host.transfer': { callId: call.id, userId: id.bob },
      'call.end': { callId: call.id },
      'call.recording.start': { callId: call.id },
      'call.recording.stop': { callId: call.id },
      'call.current': {},
      'call.reaction': { callId: call.id, emoji: '👍' },
      'call.guests.link': { callId: call.id, expiresInSeconds: 600 },
      'call.guests.links': { callId: call.id },
      'call.guests.revoke': { callId: call.id, linkId: 'l1' },
      'call.lobby.get': { callId: call.id },
      'call.lobby.admit': { callId: call.id, guestId: 'guest-1' },
      'call.lobby.deny': { callId: call.id, guestId: 'guest-1' },
      'call.lobby.admitAll': { callId: call.id },
      'guest.knock': {},
      'webrtc.transport.create': { callId: call.id, direction: 'recv' },
      'webrtc.transport.connect': { transportId: media.aliceSend, dtlsParameters: DTLS },
      'webrtc.transport.restartIce': { transportId: valid.transportId },
      'webrtc.produce': {
        transportId: media.aliceSend,
        kind: 'video',
        rtpParameters: {
          mid: '1',
          codecs: [{ ...VP8, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }], parameters: {} }],
          headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
          encodings: [{ ssrc: 7777, rtx: { ssrc: 7778 }, maxBitrate: 500_000 }],
          rtcp: { cname: 'x', reducedSize: true },
        },
        appData: { source: 'camera' },
      },
      'webrtc.producer.pause': { producerId: valid.producerId },
      'webrtc.producer.resume': { producerId: valid.producerId },
      'webrtc.producer.close': { producerId: valid.producerId },
      'webrtc.producers': { callId: call.id },
      'webrtc.consume': { callId: call.id, producerId: media.bobProducer, rtpCapabilities: caps },
      'webrtc.consumer.resume': { consumerId: media.consumer },
      'webrtc.consumer.pause': { consumerId: media.consumer },
      'webrtc.consumer.setPreferredLayers': {
        consumerId: valid.consumerId,
        spatialLayer: 1,
        temporalLayer: 0,
      },
      'webrtc.stats': { id: valid.transportId },
      'webrtc.quality': { transportId: valid.transportId, candidateType: 'host' },
    };
    expect(events).toEqual(Object.keys(samples).sort());

    // Requests that end the call or its media go last, so the others meet a live call.
    const last = [
      'webrtc.producer.close',
      'call.end',
      'call.hangup',
      'call.decline',
      'call.cancel',
      'call.host.remove',
    ];
    const ordered = [...events.filter((event) => !last.includes(event)), ...last];
    const started = Date.now();
    for (const [index, event] of ordered.entries()) {
      const sample = samples[event as SocketRequestName];
      await fc.assert(
        fc.asyncProperty(payloadFor(sample), async (payload) => {
          const before = logged.length;
          const reply: unknown = await alice.socket.timeout(15_000).emitWithAck(event, payload);
          const problem = problemOf(reply) ?? (logged.length > before ? `logged ${logged[before]}` : null);
          if (problem) throw new Error(`${event} ${clip(payload)}: ${problem}: ${clip(reply, 600)}`);
        }),
        {
          seed: SEED + index,
          numRuns: NUM_RUNS,
          endOnFailure: true,
          reporter: (details) => {
            if (!details.failed) return;
            const why = details.errorInstance instanceof Error ? details.errorInstance.message : 'failed';
            throw new Error(
              `${why}\n(fast-check seed ${details.seed}, path ${details.counterexamplePath}; ` +
                `rerun with PARLEY_FC_SEED=${details.seed - index})`,
            );
          },
        },
      );
    }
    // The socket still answers, and it all stayed quick.
    expect((await alice.ok('session.whoami', {})).id).toBe(id.alice);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});
