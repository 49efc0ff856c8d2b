import dgram from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegProcess, recordingArgs } from './ffmpeg';
import { recordingSdp, sdpDataUrl } from './sdp';
import { freeUdpPortPairs } from './udp-ports';

describe('FfmpegProcess (real ffmpeg)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-ffmpeg-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('tells a taken RTP port apart, and names the SDP input without its data: URL', async () => {
    // The race the recorder retries: one of the ports picked for ffmpeg is bound by someone else.
    const [audio, video] = await freeUdpPortPairs(2);
    const squatter = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(video, '127.0.0.1', () => resolve()));
    try {
      const sdp = recordingSdp({ audio: [audio], video });
      const ffmpeg = new FfmpegProcess(
        'ffmpeg',
        recordingArgs({ sdpUrl: sdpDataUrl(sdp), audioSlots: 1, output: join(dir, 'taken.webm') }),
      );
      const exit = await ffmpeg.exited;
      expect(exit.code).not.toBe(0);
      expect(ffmpeg.portTaken()).toBe(true);
      expect(ffmpeg.lastLogLine()).toContain('the RTP inputs (SDP)');
      expect(ffmpeg.lastLogLine()).not.toMatch(/base64/);
    } finally {
      squatter.close();
    }
  });

  it('does not blame a port for other start failures', async () => {
    const ffmpeg = new FfmpegProcess('ffmpeg', ['-hide_banner', '-i', join(dir, 'missing.webm')]);
    await ffmpeg.exited;
    expect(ffmpeg.portTaken()).toBe(false);
    expect(ffmpeg.lastLogLine()).toMatch(/No such file or directory/);
  });
});
