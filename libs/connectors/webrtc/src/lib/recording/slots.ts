/**
 * The relay's output streams. Each one is continuous whatever feeds it, so ffmpeg, which has fixed
 * inputs, never waits on one: an audio slot sends a packet every 20 ms (its source's or silence), the
 * video slot forwards one source at a time, switching on key frames, or a black filler frame.
 */
import { RtpOutput, type RtpPacket } from './rtp';
import { isVp8KeyFrame, packetizeVp8 } from './vp8';

/** Opus "silence" (TOC: CELT fullband 20 ms, one frame; then the frame's 2 bytes). */
export const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);
/** Opus 20 ms at 48 kHz. */
export const AUDIO_TICKS_PER_PACKET = 960;
export const AUDIO_PACKET_MS = 20;
/** Video RTP clock: 90 kHz. */
export const VIDEO_TICKS_PER_MS = 90;

/** Packets a slot holds before playing its source after an underrun (40 ms of jitter room). */
const AUDIO_PREBUFFER = 2;
/** Past this many queued packets (source faster than our clock, a burst) the oldest are dropped. */
const AUDIO_MAX_QUEUE = 8;

/** One audio input of the mix: a source's Opus packets, paced at 20 ms, silence when it has none. */
export class AudioSlot {
  private queue: Buffer[] = [];
  private buffering = true;
  /** The relay's id of the source feeding this slot (null: free, silence). */
  source: number | null = null;

  constructor(readonly output: RtpOutput) {}

  /** A new source (or none): its queue starts empty. */
  assign(source: number | null): void {
    this.source = source;
    this.queue = [];
    this.buffering = true;
  }

  /** A packet of the slot's source. */
  push(payload: Buffer): void {
    this.queue.push(Buffer.from(payload));
    if (this.queue.length > AUDIO_MAX_QUEUE) this.queue.splice(0, this.queue.length - AUDIO_PREBUFFER - 1);
  }

  /** The packet of 20 ms period number `tick` (0 at the recording's start). */
  next(tick: number): Buffer {
    let payload: Buffer = OPUS_SILENCE;
    if (this.buffering && this.queue.length >= AUDIO_PREBUFFER) this.buffering = false;
    if (!this.buffering) {
      const queued = this.queue.shift();
      if (queued) payload = queued;
      else this.buffering = true;
    }
    return this.output.packet(tick * AUDIO_TICKS_PER_PACKET, payload, false);
  }
}

interface ActiveVideo {
  source: number;
  /** Last source timestamp seen (32-bit). */
  sourceTimestamp: number;
  /** Output ticks of the current frame. */
  ticks: number;
  /** ms (recording clock) of the last packet. */
  lastPacketAt: number;
}

/** After this long without a packet the active source counts as gone (filler until a key frame). */
export const VIDEO_STALE_MS = 1500;

/**
 * The video input: forwards the active source with its timestamps rebased onto the recording's
 * clock; a newly selected source takes over at its first key frame (the old one runs until then);
 * with no active source, {@link filler} sends a black key frame.
 */
export class VideoSlot {
  private active: ActiveVideo | null = null;
  private pendingSource: number | null = null;
  private readonly fillerPayloads: Buffer[];

  constructor(
    readonly output: RtpOutput,
    fillerFrame: Buffer,
    /** Called when a source becomes the active one (its key frame arrived). */
    private readonly activated: (source: number) => void = () => undefined,
  ) {
    this.fillerPayloads = packetizeVp8(fillerFrame);
  }

  get activeSource(): number | null {
    return this.active?.source ?? null;
  }

  get pending(): number | null {
    return this.pendingSource;
  }

  /** The source to show next (null: the filler at once). */
  select(source: number | null): void {
    if (source === null) {
      this.active = null;
      this.pendingSource = null;
    } else if (source === this.active?.source) {
      this.pendingSource = null;
    } else {
      this.pendingSource = source;
    }
  }

  /** A source went away. */
  remove(source: number): void {
    if (this.active?.source === source) this.active = null;
    if (this.pendingSource === source) this.pendingSource = null;
  }

  /** A packet of some video source at `nowMs`: the datagram to send, or null (dropped). */
  packet(source: number, rtp: RtpPacket, nowMs: number): Buffer | null {
    if (source === this.pendingSource && isVp8KeyFrame(rtp.payload)) {
      const last = this.output.lastTicks;
      this.active = {
        source,
        sourceTimestamp: rtp.timestamp,
        ticks: Math.max(Math.round(nowMs * VIDEO_TICKS_PER_MS), last === null ? 0 : last + 1),
        lastPacketAt: nowMs,
      };
      this.pendingSource = null;
      this.activated(source);
    }
    const active = this.active;
    if (!active || active.source !== source) return null;
    const delta = (rtp.timestamp - active.sourceTimestamp) | 0;
    if (delta < 0) return null; // late packet of an earlier frame
    active.sourceTimestamp = rtp.timestamp;
    active.ticks += delta;
    active.lastPacketAt = nowMs;
    return this.output.packet(active.ticks, rtp.payload, rtp.marker);
  }

  /**
   * Called a few times a second: an active source silent for {@link VIDEO_STALE_MS} is dropped (it
   * becomes pending again: its next key frame brings it back); with no active source, the black
   * frame's packets. Returns the datagrams to send.
   */
  filler(nowMs: number): Buffer[] {
    if (this.active && nowMs - this.active.lastPacketAt > VIDEO_STALE_MS) {
      this.pendingSource ??= this.active.source;
      this.active = null;
    }
    if (this.active) return [];
    const last = this.output.lastTicks;
    const ticks = Math.max(Math.round(nowMs * VIDEO_TICKS_PER_MS), last === null ? 0 : last + 1);
    return this.fillerPayloads.map((payload, index) =>
      this.output.packet(ticks, payload, index === this.fillerPayloads.length - 1),
    );
  }
}
