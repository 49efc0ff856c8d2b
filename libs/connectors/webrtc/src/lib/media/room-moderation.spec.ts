// Host actions on a real room (loopback worker): mute pauses microphones only, stop share closes
// screen producers only, and the others hear of both.
import { openTestRoom, rtpParameters } from '../testing';
import type { WebrtcPush } from './media-types';
import type { Room } from './room';
import { muteUser, stopScreenShare } from './room-moderation';
import { WorkerPool } from './worker-pool';

describe('room moderation', () => {
  const pool = new WorkerPool({ workers: 1, logLevel: 'warn', onWorkerDied: () => undefined });
  let room: Room;
  let pushes: WebrtcPush[];
  let producers: Record<'mic' | 'screenAudio' | 'screen' | 'camera', string>;

  beforeAll(() => pool.start());
  beforeEach(async () => {
    ({ room, pushes } = await openTestRoom(pool));
    room.admit('bob', ['tab-bob']);
    const alice = room.admit('alice', ['tab-alice']);
    const send = await room.createPlainTransport(alice, 'send');
    const produce = (kind: 'audio' | 'video', ssrc: number, source: string) =>
      room.produce(alice, send.id, kind, rtpParameters(kind, ssrc), { source });
    producers = {
      mic: await produce('audio', 1, 'mic'),
      screenAudio: await produce('audio', 2, 'screen'),
      screen: await produce('video', 3, 'screen'),
      camera: await produce('video', 4, 'camera'),
    };
    pushes.length = 0;
  });
  afterEach(() => room.close('spec over'));
  afterAll(() => pool.close());

  const paused = () =>
    Object.fromEntries(
      Object.entries(producers).map(([name, id]) => [name, room.producer(id)?.paused ?? 'closed']),
    );

  it('host mute pauses the microphone only, once', async () => {
    await muteUser(room, 'alice');
    expect(paused()).toEqual({ mic: true, screenAudio: false, screen: false, camera: false });
    expect(pushes).toEqual([
      {
        socketIds: ['tab-bob'],
        event: 'webrtc.producer.paused',
        data: { callId: 'call-1', producerId: producers.mic, userId: 'alice' },
      },
    ]);
    await muteUser(room, 'alice');
    await muteUser(room, 'nobody');
    expect(pushes).toHaveLength(1);
  });

  it('stop share closes the screen producers only', () => {
    stopScreenShare(room, 'alice');
    stopScreenShare(room, 'nobody');
    expect(paused()).toEqual({ mic: false, screenAudio: 'closed', screen: 'closed', camera: false });
    expect(pushes.map((push) => [push.event, (push.data as { producerId: string }).producerId])).toEqual([
      ['webrtc.producer.closed', producers.screenAudio],
      ['webrtc.producer.closed', producers.screen],
    ]);
  });
});
