import { isVp8FrameStart, isVp8KeyFrame, packetizeVp8, vp8DescriptorLength } from './vp8';

describe('VP8 payloads', () => {
  it('measures the payload descriptor', () => {
    expect(vp8DescriptorLength(Buffer.from([0x10, 0x9d]))).toBe(1);
    // X=1, I=1 with a 15-bit PictureID, L=1, T=1.
    expect(vp8DescriptorLength(Buffer.from([0x90, 0xe0, 0x80, 0x01, 0x05, 0x20, 0x9d]))).toBe(6);
    // X=1, I=1 with a 7-bit PictureID.
    expect(vp8DescriptorLength(Buffer.from([0x90, 0x80, 0x05, 0x9d]))).toBe(3);
    expect(vp8DescriptorLength(Buffer.from([0x90]))).toBe(0);
  });

  it('tells key frames from the first byte of the frame header', () => {
    expect(isVp8KeyFrame(Buffer.from([0x10, 0x9c]))).toBe(true);
    expect(isVp8KeyFrame(Buffer.from([0x10, 0x9d]))).toBe(false);
    expect(isVp8KeyFrame(Buffer.from([0x00, 0x9c]))).toBe(false); // not a frame start
    expect(isVp8KeyFrame(Buffer.from([0x90, 0x80, 0x05, 0x9c]))).toBe(true);
    expect(isVp8FrameStart(Buffer.from([0x11, 0x9c]))).toBe(false); // partition 1
  });

  it('packetizes a frame with S=1 on the first packet only', () => {
    const frame = Buffer.alloc(2500, 7);
    frame[0] = 0x9c;
    const payloads = packetizeVp8(frame, 1000);
    expect(payloads.map((p) => p.length)).toEqual([1000, 1000, 503]);
    expect(payloads.map((p) => p[0])).toEqual([0x10, 0, 0]);
    expect(isVp8KeyFrame(payloads[0])).toBe(true);
    expect(Buffer.concat(payloads.map((p) => p.subarray(1)))).toEqual(frame);
  });
});
