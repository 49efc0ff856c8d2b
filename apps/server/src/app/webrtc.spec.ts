/**
 * The built-in WebRTC connector over real sockets against the real app and a real mediasoup worker:
 * join a call, create send/recv transports, produce audio with valid RTP parameters, consume it on
 * the other side; bad input gets error replies and nothing crashes. TURN: joinInfo carries the
 * admins' transport policy and short-lived TURN REST credentials.
 */
import type {
  CallInfo,
  WebrtcConsumerInfo,
  WebrtcJoinInfo,
  WebrtcProducerEvent,
  WebrtcTransportInfo,
} from '@parley/protocol';
import { API } from '@parley/protocol';
import { MediasoupService } from '@parley/connector-webrtc';
import { signInAll, startTestApp, useLoopbackSfu, type TestApp, type TestTab } from './testing';

const OPUS = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };

describe('webrtc connector (integration)', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  const id: Record<string, string> = {};
  let alice: TestTab;
  let bob: TestTab;
  let carol: TestTab;

  beforeAll(async () => {
    t = await startTestApp();
    await signInAll(t, ['alice', 'bob', 'carol'], token, id);
    await useLoopbackSfu(t, token.alice, { maxBitrate: 800000 });
    // A TURN server with REST credentials, and relay-only.
    const turn = await t.rest(API.adminIceServers, {
      method: 'POST',
      token: token.alice,
      body: {
        label: 'Test TURN',
        urls: ['turn:127.0.0.1:3478?transport=udp'],
        credentialType: 'rest',
        sharedSecret: 'turn-shared-secret-0123456789',
        ttlSeconds: 600,
      },
    });
    expect(turn.status).toBe(201);
    const policy = await t.rest(API.adminIceServers, {
      method: 'PUT',
      token: token.alice,
      body: { iceTransportPolicy: 'relay' },
    });
    expect(policy.status).toBe(200);
    alice = await t.tab(token.alice);
    bob = await t.tab(token.bob);
    carol = await t.tab(token.carol);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('exchanges media descriptions for a call and refuses bad input without crashing', async () => {
    const incoming = bob.next('call.incoming');
    const call: CallInfo = await alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.bob },
    });
    await incoming;

    // Before joining, nothing webrtc.* is allowed.
    expect(
      await alice.request('webrtc.transport.create', { callId: call.id, direction: 'send' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });

    const answered = await bob.ok('call.answer', { callId: call.id });
    const joined = await alice.ok('call.join', { callId: call.id });
    const info = joined.joinInfo as unknown as WebrtcJoinInfo;
    expect(info.iceTransportPolicy).toBe('relay');
    const turn = info.iceServers.find((server) => server.urls.some((url) => url.startsWith('turn:')));
    expect(turn?.username).toMatch(new RegExp(`^\\d+:${id.alice}$`));
    expect(turn?.credential).toEqual(expect.any(String));
    expect(JSON.stringify(info)).not.toContain('turn-shared-secret-0123456789');
    expect(info.maxBitrate).toBe(800000);
    const caps = info.routerRtpCapabilities;
    expect((answered.joinInfo as unknown as WebrtcJoinInfo).routerRtpCapabilities).toEqual(caps);

    const aliceSend: WebrtcTransportInfo = await alice.ok('webrtc.transport.create', {
      callId: call.id,
      direction: 'send',
    });
    expect(aliceSend.iceCandidates.length).toBeGreaterThan(0);
    expect(aliceSend.iceCandidates.every((c) => (c as { address?: string }).address === '127.0.0.1')).toBe(
      true,
    );
    expect(aliceSend.dtlsParameters).toHaveProperty('fingerprints');
    const bobRecv: WebrtcTransportInfo = await bob.ok('webrtc.transport.create', {
      callId: call.id,
      direction: 'recv',
    });
    expect(bobRecv.id).not.toBe(aliceSend.id);

    // Bad input: unknown transport, someone else's transport, bad RTP parameters, bad DTLS.
    expect(
      await alice.request('webrtc.produce', {
        transportId: 'nope',
        kind: 'audio',
        rtpParameters: { codecs: [OPUS], encodings: [{ ssrc: 1 }] },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(
      await bob.request('webrtc.produce', {
        transportId: aliceSend.id,
        kind: 'audio',
        rtpParameters: { codecs: [OPUS], encodings: [{ ssrc: 1 }] },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(
      await alice.request('webrtc.produce', {
        transportId: aliceSend.id,
        kind: 'audio',
        rtpParameters: { codecs: 'opus' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(
      await alice.request('webrtc.produce', {
        transportId: aliceSend.id,
        kind: 'audio',
        rtpParameters: {
          codecs: [{ ...OPUS, mimeType: 'audio/G722', clockRate: 8000, channels: 1 }],
          encodings: [{ ssrc: 5 }],
        },
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(
      await alice.request('webrtc.produce', { transportId: aliceSend.id, kind: 'smell', rtpParameters: {} }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(
      await alice.request('webrtc.transport.connect', {
        transportId: aliceSend.id,
        dtlsParameters: { role: 'x' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(
      await alice.request('webrtc.transport.create', { callId: call.id, direction: 'up' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await alice.request('webrtc.consume', 'garbage')).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });

    // A valid producer reaches the other side, who consumes it (paused until resumed).
    const announced = bob.next('webrtc.producer.new');
    const { producerId } = await alice.ok('webrtc.produce', {
      transportId: aliceSend.id,
      kind: 'audio',
      rtpParameters: { codecs: [OPUS], encodings: [{ ssrc: 22222222 }] },
      appData: { source: 'mic' },
    });
    const event: WebrtcProducerEvent = await announced;
    expect(event).toMatchObject({
      callId: call.id,
      producerId,
      userId: id.alice,
      kind: 'audio',
      appData: { source: 'mic' },
    });
    expect(await bob.ok('webrtc.producers', { callId: call.id })).toEqual([
      expect.objectContaining({ producerId }),
    ]);
    expect(await alice.ok('webrtc.producers', { callId: call.id })).toEqual([]);

    // Not in the call: carol may neither consume nor list.
    expect(
      await carol.request('webrtc.consume', { callId: call.id, producerId, rtpCapabilities: caps }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await carol.request('webrtc.producers', { callId: call.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await bob.request('webrtc.consume', { callId: call.id, producerId: 'nope', rtpCapabilities: caps }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(
      await bob.request('webrtc.consume', {
        callId: call.id,
        producerId,
        rtpCapabilities: { codecs: 'none' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });

    const consumer: WebrtcConsumerInfo = await bob.ok('webrtc.consume', {
      callId: call.id,
      producerId,
      rtpCapabilities: caps,
    });
    expect(consumer).toMatchObject({
      producerId,
      kind: 'audio',
      userId: id.alice,
      appData: { source: 'mic' },
    });
    expect(consumer.id).toEqual(expect.any(String));
    await bob.ok('webrtc.consumer.resume', { consumerId: consumer.id });
    expect(await alice.request('webrtc.consumer.resume', { consumerId: consumer.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const stats = await bob.ok('webrtc.stats', { id: consumer.id });
    expect(Array.isArray(stats.stats)).toBe(true);
    expect(
      (await alice.ok('webrtc.transport.restartIce', { transportId: aliceSend.id })).iceParameters,
    ).toHaveProperty('usernameFragment');

    // Pause is announced; closing the producer closes the consumer on the other side.
    const paused = bob.next('webrtc.producer.paused');
    await alice.ok('webrtc.producer.pause', { producerId });
    expect(await paused).toMatchObject({ producerId, userId: id.alice });
    const consumerClosed = bob.next('webrtc.consumer.closed');
    await alice.ok('webrtc.producer.close', { producerId });
    expect(await consumerClosed).toMatchObject({ consumerId: consumer.id, producerId });

    // The socket still answers after all of that.
    expect((await alice.ok('session.whoami', {})).id).toBe(id.alice);

    // Hanging up closes the call's router and everything in it.
    const media = t.app.get(MediasoupService);
    expect(media.hasRoom(call.id)).toBe(true);
    const ended = bob.next('call.ended');
    await alice.ok('call.hangup', { callId: call.id });
    await ended;
    expect(media.hasRoom(call.id)).toBe(false);
    expect(await bob.request('webrtc.producers', { callId: call.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(media.workerCount).toBe(1);
  });
});
