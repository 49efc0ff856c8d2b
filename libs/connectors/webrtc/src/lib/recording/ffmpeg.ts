/** The ffmpeg side of a recording: finding it, its command line, running and stopping it, the file after. */
import { spawn, type ChildProcess } from 'node:child_process';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseIvf } from './ivf';
import { RecordingUnavailableError } from './recording-types';

export const DEFAULT_FFMPEG = 'ffmpeg';

/** Output picture: every source is scaled and padded into it. */
export const VIDEO_WIDTH = 1280;
export const VIDEO_HEIGHT = 720;
export const VIDEO_FPS = 15;

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs a short command to its end (stdout kept as bytes). Rejects only when it cannot start. */
export function run(command: string, args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-8000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

/** ffprobe next to the given ffmpeg (same folder), or on PATH. */
export function ffprobeOf(ffmpegPath: string): string {
  return ffmpegPath.includes('/') ? join(dirname(ffmpegPath), 'ffprobe') : 'ffprobe';
}

/** `make()` once per key, kept while it works (a failure is retried on the next call). */
function cachedWhileOk<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = make();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}

const checked = new Map<string, Promise<void>>();

/**
 * Resolves when `ffmpegPath` runs and has the encoders a recording needs (libvpx, libopus); rejects
 * with {@link RecordingUnavailableError} saying what to install or configure. Cached when it works.
 */
export function checkFfmpeg(ffmpegPath: string): Promise<void> {
  return cachedWhileOk(checked, ffmpegPath, async () => {
    const custom = ffmpegPath !== DEFAULT_FFMPEG;
    let result: RunResult;
    try {
      result = await run(ffmpegPath, ['-hide_banner', '-encoders'], 15_000);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new RecordingUnavailableError(
        custom
          ? `ffmpeg cannot be run from FFMPEG_PATH (${ffmpegPath}: ${code ?? String(error)}): install the Debian package ffmpeg (apt-get install ffmpeg) or fix FFMPEG_PATH.`
          : 'ffmpeg is not installed on the server: install the Debian package ffmpeg (apt-get install ffmpeg).',
      );
    }
    const encoders = result.stdout.toString();
    const missing = ['libvpx', 'libopus'].filter((name) => !new RegExp(`\\s${name}\\s`).test(encoders));
    if (result.code !== 0 || missing.length > 0) {
      throw new RecordingUnavailableError(
        `The server's ffmpeg (${ffmpegPath}) cannot record: it lacks the ${missing.join(' and ') || 'expected'} encoder(s). Install the Debian package ffmpeg (apt-get install ffmpeg).`,
      );
    }
  });
}

const fillers = new Map<string, Promise<Buffer>>();

/**
 * A black VP8 key frame (640x360), encoded once per ffmpeg by ffmpeg itself (IVF on stdout, kept in
 * memory): the video the relay sends while nobody shows a picture.
 */
export function blackVp8KeyFrame(ffmpegPath: string): Promise<Buffer> {
  return cachedWhileOk(fillers, ffmpegPath, async () => {
    const result = await run(ffmpegPath, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=c=black:s=640x360:r=1',
      '-frames:v',
      '1',
      '-c:v',
      'libvpx',
      '-b:v',
      '100k',
      '-f',
      'ivf',
      'pipe:1',
    ]);
    const ivf = parseIvf(result.stdout);
    if (result.code !== 0 || ivf.frames.length === 0) {
      throw new RecordingUnavailableError(`ffmpeg could not encode a VP8 frame: ${result.stderr.trim()}`);
    }
    return Buffer.from(ivf.frames[0]);
  });
}

/** Receive buffer of each RTP input socket of the recording's ffmpeg (capped by net.core.rmem_max). */
export const RTP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export interface RecordingArgs {
  /** The SDP of the inputs (`data:` URL). */
  sdpUrl: string;
  audioSlots: number;
  output: string;
}

/**
 * One input (the SDP: N Opus slots + one VP8 slot) → the slots mixed (`amix`, no normalization:
 * a slot with silence adds nothing) and encoded to Opus; the video scaled/padded to 1280x720 at
 * 15 fps in its own filter graph (a source switch changes its size without touching the audio)
 * and encoded with libvpx in realtime mode → WebM, a cluster per second (a killed ffmpeg loses
 * at most that).
 */
export function recordingArgs(options: RecordingArgs): string[] {
  const inputs = Array.from({ length: options.audioSlots }, (_, index) => `[0:a:${index}]`).join('');
  const mix =
    options.audioSlots > 1
      ? `${inputs}amix=inputs=${options.audioSlots}:normalize=0:dropout_transition=0[a]`
      : `${inputs}anull[a]`;
  const w = VIDEO_WIDTH;
  const h = VIDEO_HEIGHT;
  return [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'warning',
    '-protocol_whitelist',
    'data,udp,rtp',
    '-analyzeduration',
    '1000000',
    '-fpsprobesize',
    '0',
    // 4 MB receive buffers for the RTP inputs (ffmpeg's default is 384 KB): when the machine is
    // busy ffmpeg falls behind for a while, and what overflows a socket is lost from the file.
    '-buffer_size',
    String(RTP_RECEIVE_BUFFER_BYTES),
    '-f',
    'sdp',
    '-i',
    options.sdpUrl,
    '-filter_complex',
    mix,
    '-map',
    '[a]',
    '-map',
    '0:v:0',
    '-filter:v',
    `scale=${w}:${h}:force_original_aspect_ratio=decrease:force_divisible_by=2,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,fps=${VIDEO_FPS},format=yuv420p`,
    '-c:a',
    'libopus',
    '-b:a',
    '64k',
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '1M',
    '-g',
    String(VIDEO_FPS * 10),
    '-lag-in-frames',
    '0',
    '-auto-alt-ref',
    '0',
    // One encoder thread: libvpx's threads spin-wait on each other, so on a busy machine two of them
    // burn ~6x the CPU of one and the video falls to a few frames a second (docs/recording.md "CPU").
    '-threads',
    '1',
    '-f',
    'webm',
    '-cluster_time_limit',
    '1000',
    '-flush_packets',
    '1',
    '-y',
    options.output,
  ];
}

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines ffmpeg wrote to stderr. */
  log: string;
}

/** A running ffmpeg: its exit, its last log lines, a graceful stop. */
export class FfmpegProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<FfmpegExit>;
  private log = '';
  private done = false;

  constructor(ffmpegPath: string, args: string[]) {
    this.child = spawn(ffmpegPath, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-4000)));
    this.child.stdin?.on('error', () => undefined); // 'q' to an ffmpeg that just died
    this.exited = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.done) return;
        this.done = true;
        resolve({ code, signal, log: this.log });
      };
      this.child.once('error', () => finish(null, null));
      this.child.once('close', finish);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.done;
  }

  /**
   * The last non-empty line of ffmpeg's log, for messages to people: the SDP input is named as such
   * rather than by its data: URL (a few KB of base64).
   */
  lastLogLine(): string {
    const line =
      this.log
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .pop() ?? '';
    return line.replace(/data:[\w/.+-]*;base64,[A-Za-z0-9+/=]+/g, 'the RTP inputs (SDP)');
  }

  /**
   * ffmpeg could not bind one of its RTP ports (another process took it after it was picked). Its
   * SDP reader then fails with "Invalid data found when processing input"; the bind error is
   * logged a line before.
   */
  portTaken(): boolean {
    return /bind failed|address already in use/i.test(this.log);
  }

  /**
   * Finishes the file: `q` on stdin, and ffmpeg flushes its decoders and encoders and writes the
   * WebM trailer. It reads keys between packets (at most every 100 ms), so its inputs must still
   * receive something meanwhile. If it has not exited after `graceMs`: SIGINT, then a second one
   * (that one also interrupts a blocked read, but then ffmpeg cannot write the trailer: the file
   * needs the remux), then SIGKILL.
   */
  async stop(graceMs = 5000): Promise<FfmpegExit> {
    if (this.done) return this.exited;
    const exitedWithin = async (ms: number) =>
      (await Promise.race([
        this.exited.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), ms).unref()),
      ])) || this.done;
    this.child.stdin?.end('q');
    if (await exitedWithin(graceMs)) return this.exited;
    this.child.kill('SIGINT');
    if (await exitedWithin(500)) return this.exited;
    this.child.kill('SIGINT');
    if (await exitedWithin(3000)) return this.exited;
    this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** Size in bytes (0 if missing). */
export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/**
 * Rewrites a WebM ffmpeg could not finish (killed, crashed) with `-c copy`: the copy has a duration
 * and cues, so players and ffprobe read it. Replaces the file; false if the remux failed (the
 * original is kept as it is).
 */
export async function remuxInPlace(ffmpegPath: string, path: string): Promise<boolean> {
  const temporary = `${path}.remux.webm`;
  try {
    const result = await run(ffmpegPath, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-fflags',
      '+genpts+discardcorrupt',
      '-i',
      path,
      '-c',
      'copy',
      '-f',
      'webm',
      '-y',
      temporary,
    ]);
    if (result.code !== 0 || (await fileSize(temporary)) === 0) return false;
    await rename(temporary, path);
    return true;
  } catch {
    return false;
  } finally {
    await rm(temporary, { force: true });
  }
}

export interface ProbeResult {
  durationMs: number;
  streams: { codecType: string; codecName: string }[];
}

/** ffprobe's view of a media file (null if ffprobe is missing or cannot read it). */
export async function probe(ffprobePath: string, path: string): Promise<ProbeResult | null> {
  try {
    const result = await run(ffprobePath, [
      '-v',
      'error',
      '-show_streams',
      '-show_format',
      '-of',
      'json',
      path,
    ]);
    if (result.code !== 0) return null;
    const json = JSON.parse(result.stdout.toString()) as {
      format?: { duration?: string };
      streams?: { codec_type?: string; codec_name?: string }[];
    };
    const duration = Number(json.format?.duration);
    return {
      durationMs: Number.isFinite(duration) ? Math.round(duration * 1000) : 0,
      streams: (json.streams ?? []).map((s) => ({
        codecType: s.codec_type ?? '',
        codecName: s.codec_name ?? '',
      })),
    };
  } catch {
    return null;
  }
}
