// A Room over a real router (loopback worker): peers admitted once, pushes addressed by tab, speaker
// observers made.
import { LOOPBACK_SETTINGS } from '../testing';
import { Room } from './room';
import { WorkerPool } from './worker-pool';

describe('Room', () => {
  const pool = new WorkerPool({ workers: 1, logLevel: 'warn', onWorkerDied: () => undefined });
  let room: Room;

  beforeAll(async () => {
    await pool.start();
    const { slot, router } = await pool.createRouter(LOOPBACK_SETTINGS);
    room = new Room('call-1', slot, router, LOOPBACK_SETTINGS);
  });
  afterAll(() => pool.close());

  it('admits a participant once, keeping the tabs a worker restart carried over', () => {
    const alice = room.admit('alice', ['tab-a1']);
    expect(room.admit('alice')).toBe(alice);
    room.admit('bob').socketIds.add('tab-b1');
    alice.socketIds.add('tab-a2');
    expect(room.sockets().sort()).toEqual(['tab-a1', 'tab-a2', 'tab-b1']);
    expect(room.otherSockets('alice')).toEqual(['tab-b1']);
    expect(() => alice.transport('nope')).toThrow('Unknown transport nope');
  });

  it('finds any participant’s producer, and makes the speaker observers', async () => {
    const bob = room.admit('bob');
    const transport = await room.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    });
    const producer = await transport.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 2222 }],
      },
      appData: { userId: 'bob' },
    });
    bob.producers.set(producer.id, producer);
    expect(room.producer(producer.id)).toBe(producer);
    expect(room.producer('nope')).toBeNull();
    await room.observeSpeakers({ dominant: () => undefined, speaking: () => undefined });
    expect(room.activeSpeaker?.closed).toBe(false);
    expect(room.audioLevels?.closed).toBe(false);
    transport.close();
  });
});
