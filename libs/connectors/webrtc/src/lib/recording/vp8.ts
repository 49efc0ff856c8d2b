/** VP8 over RTP (RFC 7741): what the relay needs to switch sources on key frames and send its filler. */

/** Length of the VP8 payload descriptor at the start of an RTP payload (0 if malformed). */
export function vp8DescriptorLength(payload: Buffer): number {
  if (payload.length < 1) return 0;
  let length = 1;
  if (payload[0] & 0x80) {
    if (payload.length < 2) return 0;
    const extension = payload[1];
    length++;
    if (extension & 0x80) {
      if (payload.length < length + 1) return 0;
      length += payload[length] & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    }
    if (extension & 0x40) length++; // TL0PICIDX
    if (extension & 0x30) length++; // TID/Y/KEYIDX
  }
  return payload.length > length ? length : 0;
}

/** Whether this RTP payload starts a VP8 frame (S=1, partition 0). */
export function isVp8FrameStart(payload: Buffer): boolean {
  return payload.length > 0 && (payload[0] & 0x10) !== 0 && (payload[0] & 0x0f) === 0;
}

/** Whether this RTP payload starts a VP8 key frame (frame start and P=0 in the frame header). */
export function isVp8KeyFrame(payload: Buffer): boolean {
  if (!isVp8FrameStart(payload)) return false;
  const offset = vp8DescriptorLength(payload);
  return offset > 0 && (payload[offset] & 0x01) === 0;
}

/**
 * Splits one VP8 frame into RTP payloads of at most `maxPayload` bytes, each with a minimal
 * descriptor (S=1 on the first, partition 0).
 */
export function packetizeVp8(frame: Buffer, maxPayload = 1200): Buffer[] {
  const chunk = Math.max(1, maxPayload - 1);
  const payloads: Buffer[] = [];
  for (let offset = 0; offset < frame.length; offset += chunk) {
    const part = frame.subarray(offset, offset + chunk);
    payloads.push(Buffer.concat([Buffer.from([offset === 0 ? 0x10 : 0x00]), part]));
  }
  return payloads;
}
