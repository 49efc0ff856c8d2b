import { recordingSdp, sdpDataUrl } from './sdp';

describe('recordingSdp', () => {
  it('has one Opus m-line per audio slot and one VP8 m-line on loopback', () => {
    const sdp = recordingSdp({ audio: [5000, 5002], video: 5004 });
    expect(sdp).toContain('c=IN IP4 127.0.0.1\r\n');
    expect(sdp.match(/^m=audio \d+ RTP\/AVP 100$/gm)).toEqual([
      'm=audio 5000 RTP/AVP 100',
      'm=audio 5002 RTP/AVP 100',
    ]);
    expect(sdp).toContain('m=video 5004 RTP/AVP 101\r\na=rtpmap:101 VP8/90000');
    expect(sdp).toContain('a=rtpmap:100 opus/48000/2');
  });

  it('becomes a base64 data URL', () => {
    const url = sdpDataUrl('v=0\r\n');
    expect(url).toBe(`data:application/sdp;base64,${Buffer.from('v=0\r\n').toString('base64')}`);
  });
});
