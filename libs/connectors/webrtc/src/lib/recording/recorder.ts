/**
 * A recording of one call: the tap's consumers → the RTP relay → one ffmpeg → one WebM file. It
 * follows the call (producers coming and going, pauses, the dominant speaker, screen shares), stops
 * on its own when ffmpeg dies, the disk fills up or the call's media goes away, and always leaves
 * a playable file (or none) and no process, socket or temporary file behind.
 */
import { rm, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  blackVp8KeyFrame,
  checkFfmpeg,
  DEFAULT_FFMPEG,
  FfmpegProcess,
  ffprobeOf,
  fileSize,
  probe,
  recordingArgs,
  remuxInPlace,
} from './ffmpeg';
import {
  RECORDING_MIME_TYPE,
  RecordingUnavailableError,
  type RecordingTap,
  type TapConsumer,
  type TapListener,
  type TapProducer,
} from './recording-types';
import { RtpRelay } from './rtp-relay';
import { recordingSdp, sdpDataUrl } from './sdp';
import type { AudioSlot } from './slots';
import { freeUdpPortPairs, waitForBound, waitForDrained } from './udp-ports';

export const DEFAULT_AUDIO_SLOTS = 16;
export const DEFAULT_MIN_FREE_BYTES = 200 * 1024 * 1024;
export const DEFAULT_DISK_CHECK_MS = 5000;
/** On stop, how long ffmpeg may take to read what waits in its input sockets before it is stopped. */
export const DRAIN_TIMEOUT_MS = 15_000;
/** Tries to start ffmpeg when a picked port was taken before it could bind it. */
const START_ATTEMPTS = 5;

export interface RecorderOptions {
  /** Opens the call's tap with the recorder's listener (throws if the call has no media here). */
  openTap(listener: TapListener): RecordingTap;
  /** Absolute path of the WebM to write (its folder exists). */
  filePath: string;
  ffmpegPath?: string;
  maxDurationMs: number;
  /** Called at most once when the recording stops on its own, with a message for the host. */
  onFailure(message: string): void;
  /** Audio inputs of the mix (at most this many microphones are heard at once). Default 16. */
  audioSlots?: number;
  /** The recording stops below this much free space on the file's disk. Default 200 MB. */
  minFreeBytes?: number;
  /** How often free space is checked (ms). Default 5 s. */
  diskCheckMs?: number;
}

export interface RecordingResult {
  filePath: string;
  sizeBytes: number;
  durationMs: number;
  mimeType: string;
}

interface Recorded {
  producer: TapProducer;
  consumer: TapConsumer;
  /** The audio slot it feeds (audio only; null: waiting for a free slot). */
  slot: AudioSlot | null;
}

const MB = 1024 * 1024;

/** Starts recording; rejects with {@link RecordingUnavailableError} when it cannot. */
export async function startRecording(options: RecorderOptions): Promise<Recording> {
  const ffmpegPath = options.ffmpegPath || DEFAULT_FFMPEG;
  await checkFfmpeg(ffmpegPath);
  const filler = await blackVp8KeyFrame(ffmpegPath);
  const minFree = options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
  const free = await freeBytes(dirname(options.filePath));
  if (free < minFree) {
    throw new RecordingUnavailableError(
      `Not enough free disk space to record (${Math.floor(free / MB)} MB free, at least ${Math.ceil(minFree / MB)} MB needed).`,
    );
  }
  const recording = new Recording(options, ffmpegPath, filler);
  await recording.begin();
  return recording;
}

async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

export class Recording {
  readonly mimeType = RECORDING_MIME_TYPE;
  readonly filePath: string;
  readonly maxDurationMs: number;
  private relay: RtpRelay | null = null;
  /** ffmpeg's RTP input ports (audio slots, then video). */
  private inputPorts: number[] = [];
  private ffmpeg: FfmpegProcess | null = null;
  private tap: RecordingTap | null = null;
  private readonly recorded = new Map<string, Recorded>();
  private readonly producers = new Map<string, TapProducer>();
  private dominantUserId: string | null = null;
  /** The video producer chosen (its consumer resumed; it becomes active on its key frame). */
  private videoProducerId: string | null = null;
  private timers: NodeJS.Timeout[] = [];
  private work: Promise<void> = Promise.resolve();
  private failure: string | null = null;
  private stopping: Promise<RecordingResult> | null = null;
  private startedAt = 0;

  constructor(
    private readonly options: RecorderOptions,
    private readonly ffmpegPath: string,
    private readonly filler: Buffer,
  ) {
    this.filePath = options.filePath;
    this.maxDurationMs = options.maxDurationMs;
  }

  /** The ffmpeg's pid (its command line ends with the output path). */
  get ffmpegPid(): number | undefined {
    return this.ffmpeg?.pid;
  }

  /**
   * The relay and ffmpeg on free ports. The ports are free when picked but ffmpeg binds them a
   * moment later: if another process took one meanwhile ("Address already in use"), new ports and
   * another ffmpeg, up to {@link START_ATTEMPTS} times.
   */
  private async launch(slots: number): Promise<FfmpegProcess> {
    for (let attempt = 1; ; attempt++) {
      const ports = await freeUdpPortPairs(slots + 1);
      this.inputPorts = ports;
      const audioPorts = ports.slice(0, slots);
      const videoPort = ports[slots];
      this.relay?.close();
      this.relay = await RtpRelay.open({
        audioPorts,
        videoPort,
        fillerFrame: this.filler,
        onVideoActivated: (source) => this.videoActivated(source),
      });
      const sdp = recordingSdp({ audio: audioPorts, video: videoPort });
      const ffmpeg = new FfmpegProcess(
        this.ffmpegPath,
        recordingArgs({ sdpUrl: sdpDataUrl(sdp), audioSlots: slots, output: this.filePath }),
      );
      this.ffmpeg = ffmpeg;
      try {
        await waitForBound(ports, ffmpeg.exited);
        return ffmpeg;
      } catch (error) {
        await ffmpeg.stop(0);
        if (attempt < START_ATTEMPTS && ffmpeg.portTaken()) continue;
        const why = ffmpeg.lastLogLine() || (error as Error).message;
        throw new RecordingUnavailableError(`The recorder (ffmpeg) could not start: ${why}`);
      }
    }
  }

  /** @internal Starts ffmpeg, the relay and the tap; cleans everything up if one fails. */
  async begin(): Promise<void> {
    const slots = Math.max(1, Math.min(64, this.options.audioSlots ?? DEFAULT_AUDIO_SLOTS));
    try {
      const ffmpeg = await this.launch(slots);
      this.relay?.start();
      this.startedAt = Date.now();
      this.tap = this.options.openTap(this.listener());
      for (const producer of this.tap.producers()) this.producers.set(producer.id, producer);
      this.dominantUserId = this.tap.dominantSpeaker();
      this.schedule(() => this.reconcile());
      await this.work;
      void ffmpeg.exited.then((exit) => {
        if (this.stopping) return;
        const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
        const detail = ffmpeg.lastLogLine();
        this.fail(
          `The recorder (ffmpeg) ${how}${detail ? `: ${detail}` : ''}. The recording stopped; what was recorded until then is kept.`,
        );
      });
      const diskCheckMs = this.options.diskCheckMs ?? DEFAULT_DISK_CHECK_MS;
      this.timers.push(setInterval(() => void this.checkDisk(), diskCheckMs));
      this.timers.push(setInterval(() => this.schedule(() => this.maintainVideo()), 1000));
    } catch (error) {
      this.stopping = this.finish();
      await this.stopping;
      if (error instanceof RecordingUnavailableError) throw error;
      throw new RecordingUnavailableError(`The recording could not start: ${(error as Error).message}`);
    }
  }

  /** Stops the recording (idempotent) and answers what was written. */
  stop(): Promise<RecordingResult> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  private fail(message: string): void {
    if (this.failure !== null || this.stopping) return;
    this.failure = message;
    void this.stop();
    try {
      this.options.onFailure(message);
    } catch {
      // the call service's problem
    }
  }

  private async checkDisk(): Promise<void> {
    const min = this.options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
    let free: number;
    try {
      free = await freeBytes(dirname(this.filePath));
    } catch {
      return;
    }
    if (free < min) {
      this.fail(
        `The server's disk is almost full (${Math.floor(free / MB)} MB free, at least ${Math.ceil(min / MB)} MB needed): the recording stopped; what was recorded until then is kept.`,
      );
    }
  }

  private listener(): TapListener {
    return {
      producerAdded: (producer) => {
        this.producers.set(producer.id, producer);
        this.schedule(() => this.reconcile());
      },
      producerClosed: (producerId) => {
        this.producers.delete(producerId);
        this.schedule(() => this.reconcile());
      },
      producerPaused: (producerId, paused) => {
        const producer = this.producers.get(producerId);
        if (producer) producer.paused = paused;
        this.schedule(() => this.reconcile());
      },
      dominantSpeaker: (userId) => {
        this.dominantUserId = userId;
        this.schedule(() => this.reconcile());
      },
      closed: (reason) =>
        this.fail(`${reason}: the recording stopped; what was recorded until then is kept.`),
    };
  }

  /** Runs media changes one at a time (consumers are made asynchronously). */
  private schedule(job: () => Promise<void>): void {
    this.work = this.work.then(async () => {
      if (this.stopping) return;
      try {
        await job();
      } catch {
        // a producer closed while we consumed it: the next event reconciles again
      }
    });
  }

  /** Brings consumers, audio slots and the video choice in line with the call's producers. */
  private async reconcile(): Promise<void> {
    const tap = this.tap;
    const relay = this.relay;
    if (!tap || !relay) return;
    for (const [id, entry] of this.recorded) {
      if (!this.producers.has(id)) this.drop(id, entry);
    }
    for (const producer of this.producers.values()) {
      if (this.recorded.has(producer.id) || !tap.canRecord(producer.id)) continue;
      const consumer = await tap.consume(producer.id, relay.port);
      if (this.stopping || !this.producers.has(producer.id)) {
        consumer.close();
        continue;
      }
      const entry: Recorded = { producer, consumer, slot: null };
      this.recorded.set(producer.id, entry);
      if (producer.kind === 'video') {
        relay.addVideoSource(consumer.localPort, consumer.payloadType);
        await consumer.pause();
      }
    }
    this.assignAudio(relay);
    await this.chooseVideo(relay);
  }

  private drop(producerId: string, entry: Recorded): void {
    this.recorded.delete(producerId);
    this.relay?.removeSource(entry.consumer.localPort);
    entry.consumer.close();
    if (this.videoProducerId === producerId) this.videoProducerId = null;
  }

  /**
   * Every recorded microphone gets a slot while there are free ones; when there are more, a paused
   * one gives its slot to a live one waiting.
   */
  private assignAudio(relay: RtpRelay): void {
    const audio = [...this.recorded.values()].filter((entry) => entry.producer.kind === 'audio');
    const used = new Set(audio.flatMap((entry) => (entry.slot ? [entry.slot] : [])));
    for (const entry of audio) {
      if (entry.slot) continue;
      let slot = relay.audioSlots.find((candidate) => !used.has(candidate));
      if (!slot && !entry.producer.paused) {
        const idle = audio.find((other) => other.slot && other.producer.paused);
        if (idle?.slot) {
          slot = idle.slot;
          relay.removeSource(idle.consumer.localPort);
          idle.slot = null;
        }
      }
      if (!slot) continue;
      entry.slot = slot;
      used.add(slot);
      relay.addAudioSource(entry.consumer.localPort, slot, entry.consumer.payloadType);
    }
  }

  /** Screen share first (the latest), else the dominant speaker's camera, else the current, else any. */
  private async chooseVideo(relay: RtpRelay): Promise<void> {
    const live = [...this.recorded.values()].filter((e) => e.producer.kind === 'video' && !e.producer.paused);
    const screens = live.filter((e) => e.producer.source === 'screen');
    const choice =
      screens[screens.length - 1] ??
      live.find((e) => e.producer.userId === this.dominantUserId) ??
      live.find((e) => e.producer.id === this.videoProducerId) ??
      live[0] ??
      null;
    if ((choice?.producer.id ?? null) === this.videoProducerId) return;
    this.videoProducerId = choice?.producer.id ?? null;
    relay.video.select(choice ? choice.consumer.localPort : null);
    if (choice) {
      await choice.consumer.resume();
      await choice.consumer.requestKeyFrame();
    }
    await this.pauseUnused(relay);
  }

  private videoActivated(source: number): void {
    this.schedule(async () => {
      if (this.relay?.video.activeSource === source) await this.pauseUnused(this.relay);
    });
  }

  /** Pauses the video consumers that are neither shown nor awaited (no traffic for nothing). */
  private async pauseUnused(relay: RtpRelay): Promise<void> {
    const keep = new Set([relay.video.activeSource, relay.video.pending]);
    for (const entry of this.recorded.values()) {
      if (entry.producer.kind === 'video' && !keep.has(entry.consumer.localPort))
        await entry.consumer.pause();
    }
  }

  /** A chosen source that has not sent its key frame yet (or went quiet) is asked again. */
  private async maintainVideo(): Promise<void> {
    const relay = this.relay;
    const pending = relay?.video.pending;
    if (!relay || pending === null || pending === undefined) return;
    const entry = [...this.recorded.values()].find((e) => e.consumer.localPort === pending);
    if (entry) {
      await entry.consumer.resume();
      await entry.consumer.requestKeyFrame();
    }
  }

  private async finish(): Promise<RecordingResult> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.work.catch(() => undefined);
    const elapsed = this.startedAt ? Date.now() - this.startedAt : 0;
    // Stop feeding ffmpeg and let it read what already waits in its sockets before stopping it: on
    // a busy machine ffmpeg reads the audio inputs first and the video lags behind by seconds, and
    // stopping at once would cut that tail off the video. Then `q`, with a trickle of silence so
    // ffmpeg keeps reading and sees it (a few packets at the very end of the audio).
    this.relay?.halt();
    for (const entry of this.recorded.values()) entry.consumer.close();
    this.recorded.clear();
    this.tap?.close();
    const ffmpeg = this.ffmpeg;
    if (ffmpeg?.running) {
      await waitForDrained(this.inputPorts, ffmpeg.exited, DRAIN_TIMEOUT_MS);
      this.relay?.trickle();
    }
    const exit = ffmpeg ? await ffmpeg.stop() : null;
    this.relay?.close();
    const empty: RecordingResult = {
      filePath: this.filePath,
      sizeBytes: 0,
      durationMs: 0,
      mimeType: this.mimeType,
    };
    const nothing = async () => {
      await rm(this.filePath, { force: true });
      return empty;
    };
    if (!exit || (await fileSize(this.filePath)) === 0) return nothing();
    const ffprobe = ffprobeOf(this.ffmpegPath);
    let probed = exit.code === 0 ? await probe(ffprobe, this.filePath) : null;
    if (!probed || probed.durationMs === 0) {
      // ffmpeg did not finish the file (killed, crashed): a copy with a duration and cues.
      await remuxInPlace(this.ffmpegPath, this.filePath);
      probed = await probe(ffprobe, this.filePath);
    }
    const sizeBytes = await fileSize(this.filePath);
    if (probed && probed.streams.length === 0) return nothing();
    return {
      filePath: this.filePath,
      sizeBytes,
      durationMs: probed?.durationMs || elapsed,
      mimeType: this.mimeType,
    };
  }
}
