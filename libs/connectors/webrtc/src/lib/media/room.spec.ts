// A Room over a real router (loopback worker): peers admitted once, signalling (transports, produce,
// consume, pause), pushes addressed by tab, and closing that cascades through mediasoup's observers.
import type { TapListener } from '../recording/recording-types';
import { LOOPBACK_SETTINGS, openTestRoom, rtpParameters, waitFor } from '../testing';
import type { WebrtcPush } from './media-types';
import { openRecordingTap } from './recording-tap';
import type { Room } from './room';
import { WorkerPool } from './worker-pool';

describe('Room', () => {
  const pool = new WorkerPool({ workers: 1, logLevel: 'warn', onWorkerDied: () => undefined });
  let room: Room;
  let pushes: WebrtcPush[];
  let ssrc = 1000;

  beforeAll(() => pool.start());
  beforeEach(async () => ({ room, pushes } = await openTestRoom(pool)));
  afterEach(() => room.close('spec over'));
  afterAll(() => pool.close());

  const sent = (event: string) => pushes.filter((push) => push.event === event);

  /** `userId` joined with a tab, a WebRTC recv transport on it, and a plain send transport. */
  async function participant(userId: string) {
    const peer = room.admit(userId);
    const recv = await room.createWebRtcTransport(peer, `tab-${userId}`, 'recv');
    const send = await room.createPlainTransport(peer, 'send');
    const produce = (kind: 'audio' | 'video', source: string) =>
      room.produce(peer, send.id, kind, rtpParameters(kind, ++ssrc), { source });
    return { peer, recv, send, produce };
  }

  it('admits a participant once, keeping the tabs a worker restart carried over', () => {
    const alice = room.admit('alice', ['tab-a1']);
    expect(room.admit('alice')).toBe(alice);
    room.admit('bob').socketIds.add('tab-b1');
    alice.socketIds.add('tab-a2');
    expect(room.sockets().sort()).toEqual(['tab-a1', 'tab-a2', 'tab-b1']);
    expect(room.otherSockets('alice')).toEqual(['tab-b1']);
    expect(room.member('alice')).toBe(alice);
    expect(() => room.member('carol')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(room.rtpCapabilities()['codecs']).toEqual(
      expect.arrayContaining([expect.objectContaining({ mimeType: 'audio/opus' })]),
    );
    expect(room.activeSpeaker?.closed).toBe(false);
    expect(room.audioLevels?.closed).toBe(false);
  });

  it('makes WebRTC transports on the worker’s server and plain ones on loopback', async () => {
    const { peer, recv, send } = await participant('alice');
    expect(recv.iceCandidates.map((candidate) => candidate.address)).toContain('127.0.0.1');
    expect(recv.dtlsParameters).toHaveProperty('fingerprints');
    expect(send.tuple.localAddress).toBe('127.0.0.1');
    expect(peer.sockets()).toEqual(['tab-alice']);
    expect(peer.transports.get(recv.id)?.socketId).toBe('tab-alice');
    expect(peer.transports.get(send.id)?.socketId).toBe('');
  });

  it('produces to the others, who consume it; pausing is pushed too', async () => {
    const alice = await participant('alice');
    const bob = await participant('bob');
    const producerId = await alice.produce('audio', 'mic');
    expect(sent('webrtc.producer.new')).toEqual([
      {
        socketIds: ['tab-bob'],
        event: 'webrtc.producer.new',
        data: expect.objectContaining({ callId: 'call-1', producerId, userId: 'alice', kind: 'audio' }),
      },
    ]);
    expect(room.producersFor('bob').map((p) => p.producerId)).toEqual([producerId]);
    expect(room.producersFor('alice')).toEqual([]);
    expect(room.producer(producerId)?.appData).toMatchObject({ source: 'mic', userId: 'alice' });

    const caps = room.router.rtpCapabilities;
    const consumer = await room.consume(bob.peer, producerId, caps, 'tab-bob');
    expect(consumer).toMatchObject({
      producerId,
      kind: 'audio',
      userId: 'alice',
      appData: { source: 'mic' },
    });
    expect(bob.peer.consumer(consumer.id).paused).toBe(true);
    await expect(room.consume(alice.peer, producerId, caps)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(room.consume(bob.peer, 'nope', caps, 'tab-bob')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(room.consume(bob.peer, producerId, { codecs: 'x' }, 'tab-bob')).rejects.toMatchObject({
      code: 'bad_request',
    });

    await room.setProducerPaused(alice.peer, producerId, true);
    expect(room.producer(producerId)?.paused).toBe(true);
    expect(sent('webrtc.producer.paused')).toEqual([
      expect.objectContaining({
        socketIds: ['tab-bob'],
        data: { callId: 'call-1', producerId, userId: 'alice' },
      }),
    ]);
    await room.setProducerPaused(alice.peer, producerId, false);
    expect(sent('webrtc.producer.resumed')).toHaveLength(1);
  });

  it('refuses a screen share when the settings turn it off', async () => {
    const alice = await participant('alice');
    room.settings = { ...LOOPBACK_SETTINGS, screenShareAllowed: false };
    await expect(alice.produce('video', 'screen')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(alice.produce('video', 'camera')).resolves.toEqual(expect.any(String));
  });

  it('a leaving participant’s producers close for the others, consumers included', async () => {
    const alice = await participant('alice');
    const bob = await participant('bob');
    const producerId = await alice.produce('audio', 'mic');
    const consumer = await room.consume(bob.peer, producerId, room.router.rtpCapabilities, 'tab-bob');

    room.leave('alice');
    expect(alice.send.closed).toBe(true);
    expect(room.peers.has('alice')).toBe(false);
    expect(room.producer(producerId)).toBeNull();
    expect(sent('webrtc.producer.closed')).toEqual([
      expect.objectContaining({
        socketIds: ['tab-bob'],
        data: { callId: 'call-1', producerId, userId: 'alice' },
      }),
    ]);
    // The consumer closes with its producer (the worker says so), then bob is told.
    await waitFor(() => bob.peer.consumers.size === 0);
    expect(sent('webrtc.consumer.closed')).toEqual([
      expect.objectContaining({
        socketIds: ['tab-bob'],
        data: { callId: 'call-1', consumerId: consumer.id, producerId },
      }),
    ]);
  });

  it('a closed tab takes its transports only; closing the room takes everything', async () => {
    const alice = await participant('alice');
    const producerId = await alice.produce('audio', 'mic');
    room.socketClosed('tab-alice');
    expect(alice.peer.sockets()).toEqual([]);
    expect([...alice.peer.transports.keys()]).toEqual([alice.send.id]);
    expect(room.producer(producerId)).not.toBeNull();

    const closed: string[] = [];
    openRecordingTap(
      room,
      { closed: (reason: string) => closed.push(reason) } as unknown as TapListener,
      () => true,
    );
    room.close('The call ended');
    expect(closed).toEqual(['The call ended']);
    expect(room.taps.size).toBe(0);
    expect(room.router.closed).toBe(true);
    expect(alice.peer.transports.size).toBe(0);
    expect(alice.peer.producers.size).toBe(0);
    expect(room.activeSpeaker?.closed).toBe(true);
  });
});
