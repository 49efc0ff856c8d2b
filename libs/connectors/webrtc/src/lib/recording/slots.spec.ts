import { parseRtp, RtpOutput, type RtpPacket } from './rtp';
import { AudioSlot, OPUS_SILENCE, VIDEO_STALE_MS, VideoSlot } from './slots';

const KEY = Buffer.from([0x10, 0x9c, 1, 2]);
const DELTA = Buffer.from([0x10, 0x9d, 1, 2]);

function rtp(timestamp: number, payload: Buffer, marker = true): RtpPacket {
  return { payloadType: 101, marker, sequenceNumber: 1, timestamp, ssrc: 7, payload };
}

describe('AudioSlot', () => {
  it('sends silence until its source has two packets, then the source, then silence again', () => {
    const slot = new AudioSlot(new RtpOutput(1, 100, 5000));
    slot.assign(3);
    const payloads: Buffer[] = [];
    const tick = (n: number) => {
      const packet = parseRtp(slot.next(n));
      expect(packet?.timestamp).toBe(5000 + n * 960);
      payloads.push(packet?.payload as Buffer);
    };
    tick(0);
    slot.push(Buffer.from([1]));
    tick(1);
    slot.push(Buffer.from([2]));
    tick(2);
    tick(3);
    tick(4);
    expect(payloads).toEqual([OPUS_SILENCE, OPUS_SILENCE, Buffer.from([1]), Buffer.from([2]), OPUS_SILENCE]);
  });

  it('drops the oldest packets when its source runs ahead', () => {
    const slot = new AudioSlot(new RtpOutput(1, 100, 5000));
    for (let i = 0; i < 9; i++) slot.push(Buffer.from([i]));
    expect(parseRtp(slot.next(0))?.payload).toEqual(Buffer.from([6]));
  });
});

describe('VideoSlot', () => {
  it('switches sources on key frames, rebasing timestamps to the recording clock', () => {
    const activated: number[] = [];
    const slot = new VideoSlot(new RtpOutput(2, 101, 10), Buffer.alloc(3000, 0x9c), (s) => activated.push(s));
    // Nothing selected: the filler (3 packets, marker on the last) at the wall clock.
    const filler = slot.filler(100).map((d) => parseRtp(d));
    expect(filler.map((p) => [p?.timestamp, p?.marker])).toEqual([
      [9010, false],
      [9010, false],
      [9010, true],
    ]);
    slot.select(1);
    expect(slot.packet(1, rtp(50_000, DELTA), 150)).toBeNull(); // waits for a key frame
    const first = parseRtp(slot.packet(1, rtp(50_000, KEY), 200) as Buffer);
    expect(first?.timestamp).toBe(10 + 18_000);
    expect(activated).toEqual([1]);
    expect(parseRtp(slot.packet(1, rtp(53_000, DELTA), 233) as Buffer)?.timestamp).toBe(10 + 21_000);
    expect(slot.filler(240)).toEqual([]); // active: no filler

    // Source 2 selected: source 1 runs until 2's key frame.
    slot.select(2);
    expect(slot.packet(2, rtp(7, DELTA), 250)).toBeNull();
    expect(slot.packet(1, rtp(56_000, DELTA), 266)).not.toBeNull();
    const switched = parseRtp(slot.packet(2, rtp(7, KEY), 300) as Buffer);
    expect(switched?.timestamp).toBe(10 + 27_000);
    expect(slot.packet(1, rtp(59_000, DELTA), 300)).toBeNull();
    expect(slot.activeSource).toBe(2);
  });

  it('falls back to the filler when the active source goes quiet, and takes it back on a key frame', () => {
    const slot = new VideoSlot(new RtpOutput(2, 101, 10), Buffer.from([0x9c]));
    slot.select(1);
    slot.packet(1, rtp(0, KEY), 0);
    expect(slot.filler(VIDEO_STALE_MS + 1)).toHaveLength(1);
    expect(slot.pending).toBe(1);
    expect(slot.packet(1, rtp(90_000, DELTA), 1600)).toBeNull();
    expect(slot.packet(1, rtp(180_000, KEY), 1700)).not.toBeNull();
  });

  it('never lets the output timestamp go back', () => {
    const slot = new VideoSlot(new RtpOutput(2, 101, 10), Buffer.from([0x9c]));
    slot.filler(1000);
    slot.select(1);
    // A key frame stamped "earlier" than the last filler still lands after it.
    expect(parseRtp(slot.packet(1, rtp(0, KEY), 500) as Buffer)?.timestamp).toBe(10 + 90_001);
  });
});
