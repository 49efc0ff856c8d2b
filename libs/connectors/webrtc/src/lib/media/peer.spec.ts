// A Peer over a real router (loopback worker): what it owns, the checks on client input, and
// transports/producers/consumers kept exactly until mediasoup closes them.
import type { types } from 'mediasoup';
import { LOOPBACK_SETTINGS, rtpParameters, waitFor } from '../testing';
import type { PeerListener } from './media-types';
import { Peer } from './peer';
import { WorkerPool } from './worker-pool';

describe('Peer', () => {
  const pool = new WorkerPool({ workers: 1, logLevel: 'warn', onWorkerDied: () => undefined });
  const ALLOWED = { screenShareAllowed: true };
  let router: types.Router;
  let heard: string[];
  let listener: PeerListener;

  beforeAll(() => pool.start());
  beforeEach(async () => {
    ({ router } = await pool.createRouter(LOOPBACK_SETTINGS));
    heard = [];
    listener = {
      producerClosed: (peer, producer) => heard.push(`producer ${producer.id} of ${peer.userId}`),
      consumerProducerClosed: (peer, consumer) => heard.push(`consumer ${consumer.id} of ${peer.userId}`),
    };
  });
  afterEach(() => router.close());
  afterAll(() => pool.close());

  const plain = (direction: 'send' | 'recv') =>
    router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, appData: { direction } });

  it('owns what it made and checks what clients ask of it', async () => {
    const peer = new Peer('alice', ['tab-1'], listener);
    const send = await plain('send');
    const recv = await plain('recv');
    peer.addTransport(send, '');
    peer.addTransport(recv, 'tab-2');
    expect(peer.sockets()).toEqual(['tab-1', 'tab-2']);
    expect(peer.owns(send.id)).toBe(true);
    expect(peer.owns('nope')).toBe(false);

    await expect(
      peer.produce(recv.id, 'audio', rtpParameters('audio', 1), {}, ALLOWED),
    ).rejects.toMatchObject({
      code: 'bad_request',
      message: 'Produce on a send transport',
    });
    await expect(peer.produce(send.id, 'audio', { codecs: 'no' }, {}, ALLOWED)).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(
      peer.produce(
        send.id,
        'video',
        rtpParameters('video', 2),
        { source: 'screen' },
        { screenShareAllowed: false },
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    // Plain transports are no client's: no DTLS connect, no ICE restart.
    await expect(peer.connect(send.id, {})).rejects.toMatchObject({ code: 'not_found' });
    await expect(peer.restartIce(send.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(() => peer.producer('nope')).toThrow('Unknown producer nope');
    expect(() => peer.consumer('nope')).toThrow('Unknown consumer nope');

    const producer = await peer.produce(
      send.id,
      'audio',
      rtpParameters('audio', 3),
      { source: 'mic' },
      ALLOWED,
    );
    expect(producer.appData).toEqual({ source: 'mic', userId: 'alice' });
    expect(peer.owns(producer.id)).toBe(true);
    await peer.setProducerPaused(producer.id, true);
    expect(producer.paused).toBe(true);
  });

  it('consumes on the asking tab’s recv transport, once per producer, and hears when the producer goes', async () => {
    const alice = new Peer('alice', [], listener);
    const bob = new Peer('bob', ['tab-b'], listener);
    const send = await plain('send');
    alice.addTransport(send, '');
    const producer = await alice.produce(send.id, 'audio', rtpParameters('audio', 4), {}, ALLOWED);
    await expect(bob.consume(producer.id, router.rtpCapabilities, 'tab-b')).rejects.toMatchObject({
      code: 'bad_request',
      message: 'Create a recv transport first (from this tab)',
    });
    const recvB = await plain('recv');
    const recvC = await plain('recv');
    bob.addTransport(recvB, 'tab-b');
    bob.addTransport(recvC, 'tab-c');
    // Each tab receives on its own transport, whichever was made first.
    const onC = await bob.consume(producer.id, router.rtpCapabilities, 'tab-c');
    expect(onC.appData).toEqual({ transportId: recvC.id });
    const consumer = await bob.consume(producer.id, router.rtpCapabilities, 'tab-b');
    expect(consumer.appData).toEqual({ transportId: recvB.id });
    // A second consumer of the same producer on the same transport piles up nothing.
    await expect(bob.consume(producer.id, router.rtpCapabilities, 'tab-b')).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(bob.consumers.size).toBe(2);
    recvC.close();
    expect(bob.consumers.size).toBe(1);
    expect(consumer.paused).toBe(true);
    await bob.setConsumerPaused(consumer.id, false);
    expect(consumer.paused).toBe(false);
    await expect(bob.setPreferredLayers(consumer.id, 1)).rejects.toMatchObject({ code: 'bad_request' });

    producer.close();
    expect(alice.producers.size).toBe(0);
    expect(heard).toEqual([`producer ${producer.id} of alice`]);
    await waitFor(() => bob.consumers.size === 0);
    expect(heard).toEqual([`producer ${producer.id} of alice`, `consumer ${consumer.id} of bob`]);
  });

  it('closes one tab’s transports or all of them, and what was on them goes too', async () => {
    const peer = new Peer('alice', [], listener);
    const [a, b, c] = await Promise.all([plain('send'), plain('send'), plain('recv')]);
    peer.addTransport(a, 'tab-1');
    peer.addTransport(b, 'tab-2');
    peer.addTransport(c, '');
    const producer = await peer.produce(a.id, 'audio', rtpParameters('audio', 5), {}, ALLOWED);
    peer.closeTransports('tab-1');
    expect([a.closed, b.closed, c.closed]).toEqual([true, false, false]);
    expect([...peer.transports.keys()]).toEqual([b.id, c.id]);
    expect(producer.closed).toBe(true);
    expect(peer.producers.size).toBe(0);
    expect(heard).toEqual([`producer ${producer.id} of alice`]);
    expect(() => peer.transport(a.id)).toThrow(`Unknown transport ${a.id}`);

    // The router closing (call end, worker death) reaches the peer the same way.
    router.close();
    expect(peer.transports.size).toBe(0);
  });
});
