/**
 * The relay between mediasoup and ffmpeg: one UDP socket on 127.0.0.1 receives the recording's
 * consumers (each PlainTransport is connected to it; the sender's port tells them apart), and sends
 * ffmpeg its fixed inputs: the audio slots, paced every 20 ms, and the video slot.
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseRtp, RtpOutput } from './rtp';
import { OPUS_PAYLOAD_TYPE, VP8_PAYLOAD_TYPE } from './sdp';
import { AUDIO_PACKET_MS, AudioSlot, VideoSlot } from './slots';

export interface RelayOptions {
  /** ffmpeg's RTP port of each audio slot. */
  audioPorts: number[];
  /** ffmpeg's RTP port of the video slot. */
  videoPort: number;
  /** The VP8 frame sent while no source shows a picture. */
  fillerFrame: Buffer;
  /** A video source became the one recorded (its key frame arrived). */
  onVideoActivated?(source: number): void;
}

type Source =
  { kind: 'audio'; slot: AudioSlot; payloadType: number } | { kind: 'video'; payloadType: number };

/** Filler frames per second while no video source is active. */
const FILLER_FPS = 5;

function randomUint32(): number {
  return (Math.floor(Math.random() * 0xffff_fffe) + 1) >>> 0;
}

export class RtpRelay {
  readonly audioSlots: AudioSlot[];
  readonly video: VideoSlot;
  /** Sources by the port their consumer sends from. */
  private readonly sources = new Map<number, Source>();
  private startedAt = 0;
  private ticks = 0;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  /** Stopping: sources are no longer forwarded and the pacing is off (see {@link halt}). */
  private halted = false;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly options: RelayOptions,
  ) {
    this.audioSlots = options.audioPorts.map(
      () => new AudioSlot(new RtpOutput(randomUint32(), OPUS_PAYLOAD_TYPE, randomUint32(), randomUint32())),
    );
    this.video = new VideoSlot(
      new RtpOutput(randomUint32(), VP8_PAYLOAD_TYPE, randomUint32(), randomUint32()),
      options.fillerFrame,
      (source) => options.onVideoActivated?.(source),
    );
    socket.on('message', (datagram, remote) => this.receive(datagram, remote.port));
  }

  /** A relay with its socket bound on 127.0.0.1 (an ephemeral port). */
  static async open(options: RelayOptions): Promise<RtpRelay> {
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', () => undefined); // a send to ffmpeg's port after it died
    return new RtpRelay(socket, options);
  }

  /** Where consumers send (127.0.0.1). */
  get port(): number {
    return (this.socket.address() as AddressInfo).port;
  }

  /** ms since {@link start}. */
  now(): number {
    return performance.now() - this.startedAt;
  }

  /**
   * Starts every output at once (ffmpeg reads their first packets as time zero, so they start in
   * sync): audio every 20 ms by the wall clock, filler video at 5 fps until a source is active.
   */
  start(): void {
    this.startedAt = performance.now();
    this.pace();
    this.sendFiller();
    this.timers.push(setInterval(() => this.pace(), 5));
    this.timers.push(setInterval(() => this.sendFiller(), 1000 / FILLER_FPS));
  }

  addAudioSource(source: number, slot: AudioSlot, payloadType: number): void {
    slot.assign(source);
    this.sources.set(source, { kind: 'audio', slot, payloadType });
  }

  addVideoSource(source: number, payloadType: number): void {
    this.sources.set(source, { kind: 'video', payloadType });
  }

  removeSource(source: number): void {
    const entry = this.sources.get(source);
    this.sources.delete(source);
    if (entry?.kind === 'audio' && entry.slot.source === source) entry.slot.assign(null);
    if (entry?.kind === 'video') this.video.remove(source);
  }

  /**
   * The recording stops: nothing more is forwarded or paced, so ffmpeg can read what already waits
   * in its sockets without more arriving.
   */
  halt(): void {
    this.halted = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /**
   * After {@link halt}: one audio packet per slot every 20 ms (silence once the sources are gone),
   * continuing the timestamps without catching up the halt, so ffmpeg keeps reading and sees `q`.
   */
  trickle(): void {
    this.timers.push(
      setInterval(() => {
        this.audioSlots.forEach((slot, index) =>
          this.send(slot.next(this.ticks), this.options.audioPorts[index]),
        );
        this.ticks++;
      }, AUDIO_PACKET_MS),
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.socket.close();
  }

  private receive(datagram: Buffer, source: number): void {
    const entry = this.sources.get(source);
    if (!entry || this.closed || this.halted) return;
    const rtp = parseRtp(datagram);
    if (!rtp || rtp.payloadType !== entry.payloadType) return;
    if (entry.kind === 'audio') {
      if (entry.slot.source === source) entry.slot.push(rtp.payload);
      return;
    }
    const out = this.video.packet(source, rtp, this.now());
    if (out) this.send(out, this.options.videoPort);
  }

  /** Sends every audio packet due by now (catching up if the timer was late). */
  private pace(): void {
    const due = Math.floor(this.now() / AUDIO_PACKET_MS) + 1;
    for (; this.ticks < due; this.ticks++) {
      this.audioSlots.forEach((slot, index) =>
        this.send(slot.next(this.ticks), this.options.audioPorts[index]),
      );
    }
  }

  private sendFiller(): void {
    for (const datagram of this.video.filler(this.now())) this.send(datagram, this.options.videoPort);
  }

  private send(datagram: Buffer, port: number): void {
    if (!this.closed) this.socket.send(datagram, port, '127.0.0.1');
  }
}
