/** The session description ffmpeg reads its fixed RTP inputs from (a `data:` URI: no file to clean up). */

export const OPUS_PAYLOAD_TYPE = 100;
export const VP8_PAYLOAD_TYPE = 101;

export interface RecordingSdpPorts {
  /** RTP port of each audio slot (ffmpeg also binds port + 1 for RTCP). */
  audio: number[];
  /** RTP port of the video slot. */
  video: number;
}

/** One `m=` line per audio slot (Opus) and one for the video slot (VP8), all on 127.0.0.1. */
export function recordingSdp(ports: RecordingSdpPorts): string {
  const lines = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=Parley recording', 'c=IN IP4 127.0.0.1', 't=0 0'];
  for (const port of ports.audio) {
    lines.push(`m=audio ${port} RTP/AVP ${OPUS_PAYLOAD_TYPE}`, `a=rtpmap:${OPUS_PAYLOAD_TYPE} opus/48000/2`);
    lines.push('a=recvonly');
  }
  lines.push(`m=video ${ports.video} RTP/AVP ${VP8_PAYLOAD_TYPE}`, `a=rtpmap:${VP8_PAYLOAD_TYPE} VP8/90000`);
  lines.push('a=recvonly');
  return lines.join('\r\n') + '\r\n';
}

/** The SDP as an ffmpeg input URL (`-protocol_whitelist data,udp,rtp -f sdp -i <url>`). */
export function sdpDataUrl(sdp: string): string {
  return `data:application/sdp;base64,${Buffer.from(sdp).toString('base64')}`;
}
