import { SocketError } from '@parley/connector-sdk';
import { codecKindProblem, fromClient } from './client-input';

describe('client media input', () => {
  it('accepts codecs of the produced kind only (the MIME type half decides)', () => {
    const codecs = (...mimeTypes: string[]) => ({ codecs: mimeTypes.map((mimeType) => ({ mimeType })) });
    expect(codecKindProblem('audio', codecs('audio/opus'))).toBeNull();
    expect(codecKindProblem('video', codecs('video/VP8', 'video/rtx'))).toBeNull();
    expect(codecKindProblem('video', codecs('Video/H264'))).toBeNull();
    expect(codecKindProblem('video', codecs('audio/opus'))).toBe(
      'rtpParameters.codecs.0: audio/opus is not a video codec',
    );
    expect(codecKindProblem('audio', codecs('audio/opus', 'video/VP8'))).toBe(
      'rtpParameters.codecs.1: video/VP8 is not an audio codec',
    );
    for (const parameters of [{}, { codecs: [] }, { codecs: 'opus' }, null]) {
      expect(codecKindProblem('audio', parameters)).toBe('rtpParameters.codecs must list at least one codec');
    }
    expect(codecKindProblem('audio', { codecs: [null] })).toBe(
      'rtpParameters.codecs.0.mimeType must be a MIME type',
    );
  });

  it("turns mediasoup's refusals into a bad_request without mediasoup's words", async () => {
    const refused = fromClient('dtlsParameters', async () => {
      throw new TypeError('dtlsParameters.fingerprints is not iterable');
    });
    await expect(refused).rejects.toBeInstanceOf(SocketError);
    await expect(refused).rejects.toMatchObject({
      code: 'bad_request',
      message: 'Invalid dtlsParameters: the media server refused them (check codecs, payload types and ids)',
    });
    const own = new SocketError('not_found', 'Unknown producer x');
    await expect(fromClient('rtpCapabilities', () => Promise.reject(own))).rejects.toBe(own);
    await expect(fromClient('rtpParameters', async () => 7)).resolves.toBe(7);
  });
});
