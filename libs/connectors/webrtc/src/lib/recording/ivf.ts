/** IVF (the container ffmpeg/libvpx write raw VP8 frames in): header and frames. */

export interface IvfFile {
  fourcc: string;
  width: number;
  height: number;
  frames: Buffer[];
}

/** Parses an IVF file; throws on anything that is not one. */
export function parseIvf(data: Buffer): IvfFile {
  if (data.length < 32 || data.toString('latin1', 0, 4) !== 'DKIF') throw new Error('not an IVF file');
  const headerLength = data.readUInt16LE(6);
  const frames: Buffer[] = [];
  let offset = headerLength;
  while (offset + 12 <= data.length) {
    const size = data.readUInt32LE(offset);
    const start = offset + 12;
    if (start + size > data.length) throw new Error('truncated IVF frame');
    frames.push(data.subarray(start, start + size));
    offset = start + size;
  }
  return {
    fourcc: data.toString('latin1', 8, 12),
    width: data.readUInt16LE(12),
    height: data.readUInt16LE(14),
    frames,
  };
}
