/**
 * RTP shapes shared by the SFU bench processes: what the publishers send and how the receivers read
 * it. Every payload carries the bench's own header (stream id, per-stream counter, send time in µs on
 * the monotonic clock, the same for every process of the machine), so the receivers can count
 * sequence gaps per consumer SSRC and one-way latency.
 */
import { hrtime } from 'node:process';

export const OPUS_PT = 100;
export const VP8_PT = 101;
/** Opus-shaped: 20 ms frames. */
export const AUDIO_PPS = 50;
export const AUDIO_PAYLOAD = 120;
/** VP8-shaped at low bitrate: 400 packets/s of 300 bytes (~1 Mbit/s). */
export const VIDEO_PPS = 400;
export const VIDEO_PAYLOAD = 300;
/** The bench header inside the payload: stream u32, counter u32, sent µs u64. */
const MARK = 16;
/** VP8 payload descriptor (S=1, partition 0) + 3-byte frame header with P=0 (a key frame). */
const VP8_PREFIX = Buffer.from([0x10, 0x00, 0x00, 0x00]);

export interface StreamSpec {
  /** Unique per stream and SFU (the counter lives with it). */
  id: number;
  kind: 'audio' | 'video';
  ssrc: number;
  /** The producer PlainTransport's port (comedia: it learns the sender's address). */
  port: number;
  /** Index of the sending socket (one per publisher). */
  socket: number;
}

export function nowMicros(): bigint {
  return hrtime.bigint() / 1000n;
}

export function rtpPacket(spec: StreamSpec, seq: number, counter: number, sentMicros: bigint): Buffer {
  const video = spec.kind === 'video';
  const size = 12 + (video ? VIDEO_PAYLOAD : AUDIO_PAYLOAD);
  const packet = Buffer.alloc(size);
  packet[0] = 0x80;
  packet[1] = video ? VP8_PT : OPUS_PT;
  packet.writeUInt16BE(seq & 0xffff, 2);
  // Audio: 960 ticks per 20 ms at 48 kHz; video: 90 kHz, a frame every 4 packets at 100 fps.
  packet.writeUInt32BE(video ? (Math.floor(counter / 4) * 900) >>> 0 : (counter * 960) >>> 0, 4);
  packet.writeUInt32BE(spec.ssrc, 8);
  let offset = 12;
  if (video) {
    VP8_PREFIX.copy(packet, offset);
    offset += VP8_PREFIX.length;
  }
  packet.writeUInt32BE(spec.id, offset);
  packet.writeUInt32BE(counter >>> 0, offset + 4);
  packet.writeBigUInt64BE(sentMicros, offset + 8);
  return packet;
}

export interface Mark {
  ssrc: number;
  counter: number;
  sentMicros: bigint;
}

/** The bench header of a forwarded RTP packet (null for RTCP or foreign packets). */
export function readMark(packet: Buffer): Mark | null {
  if (packet.length < 12 || packet[0] >> 6 !== 2) return null;
  // Only the bench's media: not RTCP (rtcp-mux), nor mediasoup's padding-only probation packets
  // (own SSRC, payload type 127, padding bit set).
  const pt = packet[1] & 0x7f;
  if ((pt !== OPUS_PT && pt !== VP8_PT) || packet[0] & 0x20) return null;
  let offset = 12 + (packet[0] & 0x0f) * 4;
  if (packet[0] & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  if (pt === VP8_PT) offset += VP8_PREFIX.length; // the routers map VP8 to 101, Opus to 100
  if (packet.length < offset + MARK) return null;
  return {
    ssrc: packet.readUInt32BE(8),
    counter: packet.readUInt32BE(offset + 4),
    sentMicros: packet.readBigUInt64BE(offset + 8),
  };
}
