import { buildRtp, parseRtp, RtpOutput } from './rtp';

describe('RTP', () => {
  it('round-trips a packet', () => {
    const datagram = buildRtp(
      { payloadType: 100, marker: true, sequenceNumber: 65535, timestamp: 0xfffffff0, ssrc: 0xdeadbeef },
      Buffer.from([1, 2, 3]),
    );
    expect(parseRtp(datagram)).toEqual({
      payloadType: 100,
      marker: true,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      payload: Buffer.from([1, 2, 3]),
    });
  });

  it('skips CSRCs and the header extension, strips padding', () => {
    const header = Buffer.from([0xb1, 101, 0, 7, 0, 0, 0, 9, 0, 0, 0, 5]); // P, X, CC=1
    const csrc = Buffer.alloc(4);
    const extension = Buffer.from([0xbe, 0xde, 0, 1, 0x10, 0xff, 0, 0]);
    const payload = Buffer.from([9, 8, 7]);
    const padding = Buffer.from([0, 0, 3]);
    const parsed = parseRtp(Buffer.concat([header, csrc, extension, payload, padding]));
    expect(parsed?.payload).toEqual(payload);
    expect(parsed?.payloadType).toBe(101);
  });

  it('ignores RTCP and garbage', () => {
    expect(parseRtp(Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0]))).toBeNull();
    expect(parseRtp(Buffer.from([1, 2, 3]))).toBeNull();
  });

  it('RtpOutput numbers packets without gaps and never goes back in time', () => {
    const output = new RtpOutput(42, 100, 1000, 65535);
    const first = parseRtp(output.packet(960, Buffer.from([1]), false));
    const second = parseRtp(output.packet(500, Buffer.from([2]), true));
    expect(first).toMatchObject({ ssrc: 42, sequenceNumber: 65535, timestamp: 1960 });
    expect(second).toMatchObject({ sequenceNumber: 0, timestamp: 1960, marker: true });
    expect(output.lastTicks).toBe(960);
  });
});
