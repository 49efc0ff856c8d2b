// The recording engine for real: a mediasoup worker, synthetic participants (ffmpeg sending Opus and
// VP8 RTP into PlainTransport producers), the recorder's relay and ffmpeg, then ffprobe on the file.
// Loopback only (run in tools/netns.sh like the rest of the suite).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediasoupService } from '../mediasoup.service';
import { LOOPBACK_SETTINGS as SETTINGS } from '../testing';
import { fileSize, probe, run, type ProbeResult } from './ffmpeg';
import { RecordingUnavailableError } from './recording-types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pids of live processes whose command line mentions `text` (the recorder's ffmpeg names its output). */
async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(text)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe('call recording (mediasoup → relay → ffmpeg → WebM)', () => {
  const media = new MediasoupService({ workers: 1, logLevel: 'warn', recording: { diskCheckMs: 500 } });
  const senders: ChildProcess[] = [];
  let dir: string;
  let ssrc = 1000;

  beforeAll(() => media.onModuleInit());
  afterAll(() => media.onModuleDestroy());
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-recording-spec-'));
  });
  afterEach(async () => {
    for (const sender of senders.splice(0)) sender.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  /** A participant producing ffmpeg-generated Opus (a sine) or VP8 (testsrc) over plain RTP. */
  async function participant(callId: string, userId: string, kind: 'audio' | 'video'): Promise<string> {
    await media.join(callId, userId, SETTINGS);
    const transport = await media.createPlainTransport(callId, userId, 'send');
    const port = transport.tuple.localPort;
    const id = ++ssrc;
    const producerId = await media.produce(
      userId,
      transport.id,
      kind,
      kind === 'audio'
        ? {
            codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
            encodings: [{ ssrc: id }],
          }
        : {
            codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
            encodings: [{ ssrc: id }],
          },
      { source: kind === 'audio' ? 'mic' : 'camera' },
    );
    const input =
      kind === 'audio'
        ? [
            '-f',
            'lavfi',
            '-i',
            `sine=f=${300 + (id % 7) * 100}:sample_rate=48000`,
            '-c:a',
            'libopus',
            '-b:a',
            '32k',
          ]
        : [
            '-f',
            'lavfi',
            '-i',
            'testsrc=s=640x360:r=15',
            '-c:v',
            'libvpx',
            '-deadline',
            'realtime',
            '-cpu-used',
            '8',
            '-b:v',
            '300k',
            '-g',
            '15',
          ];
    const sender = spawn(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-re',
        ...input,
        '-payload_type',
        kind === 'audio' ? '100' : '101',
        '-ssrc',
        String(id),
        '-f',
        'rtp',
        `rtp://127.0.0.1:${port}?pkt_size=1200`,
      ],
      { stdio: 'ignore' },
    );
    senders.push(sender);
    return producerId;
  }

  async function probed(path: string): Promise<ProbeResult> {
    const result = await probe('ffprobe', path);
    if (!result) throw new Error(`ffprobe cannot read ${path}`);
    return result;
  }

  /** Mean volume (dB) of the file's audio and bytes of its video packets. */
  /**
   * What the file holds: the audio's mean volume, and how many video frames show a picture (mean
   * luma above 40: testsrc's colour bars) rather than the black filler (luma 16).
   */
  async function content(
    path: string,
  ): Promise<{ meanVolumeDb: number; pictureFrames: number; frames: number }> {
    const volume = await run('ffmpeg', [
      '-hide_banner',
      '-i',
      path,
      '-map',
      '0:a',
      '-af',
      'volumedetect',
      '-f',
      'null',
      '-',
    ]);
    const luma = await run('ffmpeg', [
      '-hide_banner',
      '-i',
      path,
      '-map',
      '0:v',
      '-vf',
      'signalstats,metadata=print:key=lavfi.signalstats.YAVG',
      '-f',
      'null',
      '-',
    ]);
    const averages = [...luma.stderr.toString().matchAll(/YAVG=([\d.]+)/g)].map((m) => Number(m[1]));
    return {
      meanVolumeDb: Number(/mean_volume: (-?[\d.]+) dB/.exec(volume.stderr)?.[1] ?? -100),
      pictureFrames: averages.filter((y) => y > 40).length,
      frames: averages.length,
    };
  }

  const codecs = (result: ProbeResult) => result.streams.map((s) => `${s.codecType}:${s.codecName}`).sort();

  it('records the mixed audio and the camera; joins and pauses mid-recording do not stall it', async () => {
    const callId = 'rec-main';
    const aliceMic = await participant(callId, 'alice', 'audio');
    await participant(callId, 'bob', 'audio');
    await participant(callId, 'bob', 'video');
    await sleep(500);
    const failures: string[] = [];
    const filePath = join(dir, 'call.webm');
    const recording = await media.record({ callId, filePath, onFailure: (m) => failures.push(m) });
    expect(recording.mimeType).toBe('video/webm');
    expect(recording.maxDurationMs).toBe(60 * 60_000);
    expect(await processesMentioning(filePath)).toHaveLength(1);
    await sleep(2000);
    await participant(callId, 'carol', 'audio'); // joins mid-recording
    await media.setProducerPaused('alice', aliceMic, true); // mutes
    await sleep(3000);
    const result = await recording.stop();
    expect(await recording.stop()).toEqual(result); // idempotent
    expect(failures).toEqual([]);
    const file = await probed(filePath);
    expect(codecs(file)).toEqual(['audio:opus', 'video:vp8']);
    expect(Math.abs(file.durationMs - 5000)).toBeLessThanOrEqual(1500);
    expect(result).toMatchObject({ filePath, mimeType: 'video/webm', durationMs: file.durationMs });
    // The sines are heard and the camera (testsrc) is seen, not the black filler.
    const { meanVolumeDb, pictureFrames, frames } = await content(filePath);
    expect(meanVolumeDb).toBeGreaterThan(-40);
    // 15 fps from the video's first frame (55 of the ~5 s here on an idle machine); the camera
    // from its first key frame on (later on a loaded machine): most frames, 1.5 s at the least.
    console.log(`recorder: ${frames} video frames, ${pictureFrames} with the camera`);
    expect(frames).toBeGreaterThanOrEqual(30);
    expect(pictureFrames).toBeGreaterThanOrEqual(22);
    expect(pictureFrames / frames).toBeGreaterThanOrEqual(0.5);
    expect(await processesMentioning(filePath)).toEqual([]);
    expect(await readdir(dir)).toEqual(['call.webm']);
    media.closeRoom(callId);
  });

  it('records a call without any camera: a black picture keeps the video stream', async () => {
    const callId = 'rec-audio-only';
    await participant(callId, 'alice', 'audio');
    const filePath = join(dir, 'audio-only.webm');
    const recording = await media.record({ callId, filePath, onFailure: () => undefined });
    await sleep(3000);
    const result = await recording.stop();
    const file = await probed(filePath);
    expect(codecs(file)).toEqual(['audio:opus', 'video:vp8']);
    expect(Math.abs(file.durationMs - 3000)).toBeLessThanOrEqual(1500);
    expect(result.durationMs).toBe(file.durationMs);
    const { meanVolumeDb, pictureFrames, frames } = await content(filePath);
    expect(meanVolumeDb).toBeGreaterThan(-40);
    expect(frames).toBeGreaterThan(0);
    expect(pictureFrames).toBe(0); // black
    media.closeRoom(callId);
  });

  it('ffmpeg killed mid-recording: one failure for the host, a playable partial file, nothing left over', async () => {
    const callId = 'rec-killed';
    await participant(callId, 'alice', 'audio');
    await participant(callId, 'alice', 'video');
    const failures: string[] = [];
    const filePath = join(dir, 'killed.webm');
    const recording = await media.record({ callId, filePath, onFailure: (m) => failures.push(m) });
    // Kill it once it has written media (WebM clusters, about one a second), not at a fixed time:
    // on a loaded machine ffmpeg's first cluster can take more than 3 s.
    for (let i = 0; i < 200 && (await fileSize(filePath)) < 100_000; i++) await sleep(100);
    expect(await fileSize(filePath)).toBeGreaterThanOrEqual(100_000);
    const [pid] = await processesMentioning(filePath);
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && failures.length === 0; i++) await sleep(100);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(
      /^The recorder \(ffmpeg\) was killed \(SIGKILL\)\. The recording stopped; what was recorded until then is kept\.$/,
    );
    const result = await recording.stop();
    expect(failures).toHaveLength(1);
    const file = await probed(filePath);
    expect(codecs(file)).toEqual(['audio:opus', 'video:vp8']);
    expect(file.durationMs).toBeGreaterThan(0);
    expect(result.sizeBytes).toBeGreaterThan(0);
    expect(result.durationMs).toBe(file.durationMs);
    expect(await processesMentioning(filePath)).toEqual([]);
    expect(await readdir(dir)).toEqual(['killed.webm']);
    media.closeRoom(callId);
  });

  it('stops when the disk gets too full, keeping the file', async () => {
    const callId = 'rec-disk';
    await participant(callId, 'alice', 'audio');
    const stats = await statfs(dir);
    const free = stats.bavail * stats.bsize;
    const failures: string[] = [];
    const filePath = join(dir, 'disk.webm');
    // Below the threshold once the test writes 64 MB more.
    const threshold = free - 32 * 1024 * 1024;
    const disk = new MediasoupService({
      workers: 1,
      recording: { minFreeBytes: threshold, diskCheckMs: 200 },
    });
    await disk.onModuleInit();
    try {
      await disk.join(callId, 'alice', SETTINGS);
      const recording = await disk.record({ callId, filePath, onFailure: (m) => failures.push(m) });
      await sleep(1500);
      await writeFile(join(dir, 'ballast'), Buffer.alloc(64 * 1024 * 1024));
      for (let i = 0; i < 50 && failures.length === 0; i++) await sleep(100);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(
        /^The server's disk is almost full \(\d+ MB free, at least \d+ MB needed\)/,
      );
      const result = await recording.stop();
      expect(result.sizeBytes).toBeGreaterThan(0);
      expect((await probed(filePath)).durationMs).toBeGreaterThan(0);
      expect(await processesMentioning(filePath)).toEqual([]);
    } finally {
      await disk.onModuleDestroy();
    }
    // Not even started when the disk is already below the threshold.
    const full = new MediasoupService({ workers: 1, recording: { minFreeBytes: Number.MAX_SAFE_INTEGER } });
    await full.onModuleInit();
    try {
      await full.join(callId, 'alice', SETTINGS);
      await expect(
        full.record({ callId, filePath: join(dir, 'never.webm'), onFailure: () => undefined }),
      ).rejects.toThrow(/^Not enough free disk space to record/);
    } finally {
      await full.onModuleDestroy();
    }
    media.closeRoom(callId);
  });

  it('the call ending stops the recording with a message', async () => {
    const callId = 'rec-ended';
    await participant(callId, 'alice', 'audio');
    const failures: string[] = [];
    const filePath = join(dir, 'ended.webm');
    const recording = await media.record({ callId, filePath, onFailure: (m) => failures.push(m) });
    await sleep(1500);
    media.closeRoom(callId);
    expect(failures).toEqual([
      'The call ended: the recording stopped; what was recorded until then is kept.',
    ]);
    const result = await recording.stop();
    expect(result.durationMs).toBeGreaterThan(0);
    expect(await processesMentioning(filePath)).toEqual([]);
  });

  it('cannot start without ffmpeg, nor for a call without media', async () => {
    const missing = new MediasoupService({ workers: 1, ffmpegPath: '/nonexistent/ffmpeg' });
    await missing.onModuleInit();
    try {
      await missing.join('rec-missing', 'alice', SETTINGS);
      const attempt = missing.record({
        callId: 'rec-missing',
        filePath: join(dir, 'x.webm'),
        onFailure: () => undefined,
      });
      await expect(attempt).rejects.toBeInstanceOf(RecordingUnavailableError);
      await expect(attempt).rejects.toThrow(
        /FFMPEG_PATH \(\/nonexistent\/ffmpeg: ENOENT\).*apt-get install ffmpeg/,
      );
    } finally {
      await missing.onModuleDestroy();
    }
    await expect(
      media.record({ callId: 'no-such-call', filePath: join(dir, 'y.webm'), onFailure: () => undefined }),
    ).rejects.toThrow('The call has no media on this server yet');
    expect(await readdir(dir)).toEqual([]);
  });
});
