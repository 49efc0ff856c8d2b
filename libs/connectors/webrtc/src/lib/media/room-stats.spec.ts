// Stats of a real room (loopback worker): `/call stats` lists a user's transports, producers and
// consumers with mediasoup's stats; `webrtc.stats` answers for one of their own ids only.
import { openTestRoom, rtpParameters } from '../testing';
import type { Room } from './room';
import { objectStats, userStats } from './room-stats';
import { WorkerPool } from './worker-pool';

describe('room stats', () => {
  const pool = new WorkerPool({ workers: 1, logLevel: 'warn', onWorkerDied: () => undefined });
  let room: Room;

  beforeAll(async () => {
    await pool.start();
    ({ room } = await openTestRoom(pool));
  });
  afterAll(() => {
    room.close('spec over');
    pool.close();
  });

  it('lists everything of a user with its stats, and one object of theirs', async () => {
    const alice = room.admit('alice');
    const bob = room.admit('bob');
    const send = await room.createPlainTransport(alice, 'send');
    const producerId = await room.produce(alice, send.id, 'audio', rtpParameters('audio', 7), {
      source: 'mic',
    });
    const recv = await room.createWebRtcTransport(bob, 'tab-bob', 'recv');
    const consumer = await room.consume(bob, producerId, room.router.rtpCapabilities, 'tab-bob');

    expect(await userStats(room, alice)).toEqual({
      callId: 'call-1',
      userId: 'alice',
      worker: { index: 0, pid: room.slot.worker?.pid },
      transports: [
        {
          id: send.id,
          direction: 'send',
          iceState: null,
          candidateType: null,
          stats: [expect.objectContaining({ type: 'plain-rtp-transport' })],
        },
      ],
      producers: [{ id: producerId, kind: 'audio', source: 'mic', paused: false, stats: [] }],
      consumers: [],
    });
    const ofBob = await userStats(room, bob);
    expect(ofBob['transports']).toEqual([
      expect.objectContaining({ id: recv.id, direction: 'recv', iceState: 'new' }),
    ]);
    expect(ofBob['consumers']).toEqual([
      expect.objectContaining({ id: consumer.id, kind: 'audio', producerId, paused: true }),
    ]);

    expect(await objectStats(bob, consumer.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'outbound-rtp' })]),
    );
    expect(await objectStats(alice, send.id)).toEqual([expect.objectContaining({ transportId: send.id })]);
    expect(await objectStats(alice, consumer.id)).toBeNull();
  });
});
