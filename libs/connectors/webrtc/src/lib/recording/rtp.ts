/** RTP packets (RFC 3550) as the recording relay reads and writes them: no CSRCs, no extensions out. */

export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** The media payload (header, CSRCs, extension and padding removed); a view of the datagram. */
  payload: Buffer;
}

/** Parses an RTP datagram; null for RTCP (rtcp-mux), padding-only or malformed packets. */
export function parseRtp(datagram: Buffer): RtpPacket | null {
  if (datagram.length < 12 || datagram[0] >> 6 !== 2) return null;
  const payloadType = datagram[1] & 0x7f;
  // RTCP shares the port (rtcp-mux): packet types 192–223 land on "payload types" 64–95.
  if (payloadType >= 64 && payloadType <= 95) return null;
  let offset = 12 + (datagram[0] & 0x0f) * 4;
  if (datagram[0] & 0x10) {
    if (datagram.length < offset + 4) return null;
    offset += 4 + datagram.readUInt16BE(offset + 2) * 4;
  }
  let end = datagram.length;
  if (datagram[0] & 0x20) end -= datagram[datagram.length - 1];
  if (end <= offset) return null;
  return {
    payloadType,
    marker: (datagram[1] & 0x80) !== 0,
    sequenceNumber: datagram.readUInt16BE(2),
    timestamp: datagram.readUInt32BE(4),
    ssrc: datagram.readUInt32BE(8),
    payload: datagram.subarray(offset, end),
  };
}

/** A plain RTP datagram (12-byte header) around a payload. */
export function buildRtp(packet: Omit<RtpPacket, 'payload'>, payload: Buffer): Buffer {
  const datagram = Buffer.allocUnsafe(12 + payload.length);
  datagram[0] = 0x80;
  datagram[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  datagram.writeUInt16BE(packet.sequenceNumber & 0xffff, 2);
  datagram.writeUInt32BE(packet.timestamp >>> 0, 4);
  datagram.writeUInt32BE(packet.ssrc >>> 0, 8);
  payload.copy(datagram, 12);
  return datagram;
}

/**
 * One continuous output stream: its own SSRC, sequence numbers without gaps and timestamps that
 * only move forward, whatever source feeds it.
 */
export class RtpOutput {
  private sequenceNumber: number;
  /** Last timestamp written (unwrapped: may exceed 2^32, written modulo). */
  private lastTimestamp: number | null = null;

  constructor(
    readonly ssrc: number,
    readonly payloadType: number,
    /** Offset added to every timestamp (RTP timestamps start at a random value; never 0). */
    private readonly timestampBase: number,
    firstSequenceNumber = 1,
  ) {
    this.sequenceNumber = firstSequenceNumber & 0xffff;
  }

  /** Timestamp of the last packet, in clock ticks since the stream's start (null before any). */
  get lastTicks(): number | null {
    return this.lastTimestamp;
  }

  /** A packet at `ticks` (clock ticks since the stream's start), clamped to never go back. */
  packet(ticks: number, payload: Buffer, marker: boolean): Buffer {
    const timestamp = Math.max(Math.round(ticks), this.lastTimestamp ?? 0);
    this.lastTimestamp = timestamp;
    const datagram = buildRtp(
      {
        payloadType: this.payloadType,
        marker,
        sequenceNumber: this.sequenceNumber,
        timestamp: (this.timestampBase + timestamp) % 0x1_0000_0000,
        ssrc: this.ssrc,
      },
      payload,
    );
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    return datagram;
  }
}
