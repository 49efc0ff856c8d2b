import { parseIvf } from './ivf';

function ivf(frames: Buffer[]): Buffer {
  const header = Buffer.alloc(32);
  header.write('DKIF', 0, 'latin1');
  header.writeUInt16LE(32, 6);
  header.write('VP80', 8, 'latin1');
  header.writeUInt16LE(320, 12);
  header.writeUInt16LE(180, 14);
  const parts = frames.map((frame) => {
    const frameHeader = Buffer.alloc(12);
    frameHeader.writeUInt32LE(frame.length, 0);
    return Buffer.concat([frameHeader, frame]);
  });
  return Buffer.concat([header, ...parts]);
}

describe('parseIvf', () => {
  it('reads the header and the frames', () => {
    const parsed = parseIvf(ivf([Buffer.from([1, 2, 3]), Buffer.from([4])]));
    expect(parsed).toEqual({
      fourcc: 'VP80',
      width: 320,
      height: 180,
      frames: [Buffer.from([1, 2, 3]), Buffer.from([4])],
    });
  });

  it('refuses other data and truncated frames', () => {
    expect(() => parseIvf(Buffer.alloc(40))).toThrow('not an IVF file');
    expect(() => parseIvf(ivf([Buffer.from([1, 2, 3])]).subarray(0, 45))).toThrow('truncated');
  });
});
