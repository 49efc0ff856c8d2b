// Server-side PlainTransports (createPlainTransport): produce/consume through the service like a
// WebRTC transport, never connectable as one. Real mediasoup worker, loopback only.
import { MediasoupService } from './mediasoup.service';
import { LOOPBACK_SETTINGS as SETTINGS } from './testing';

describe('MediasoupService.createPlainTransport', () => {
  const media = new MediasoupService({ workers: 1, logLevel: 'warn' });

  beforeAll(() => media.onModuleInit());
  afterAll(() => media.onModuleDestroy());

  it('carries produce and consume for joined participants only', async () => {
    await expect(media.createPlainTransport('call-1', 'alice', 'send')).rejects.toMatchObject({
      code: 'forbidden',
    });
    await media.join('call-1', 'alice', SETTINGS);
    await media.join('call-1', 'bob', SETTINGS);
    const send = await media.createPlainTransport('call-1', 'alice', 'send');
    expect(send.tuple.localAddress).toBe('127.0.0.1');
    const producerId = await media.produce(
      'alice',
      send.id,
      'audio',
      {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 1111 }],
      },
      { source: 'mic' },
    );
    expect(media.listProducers('call-1', 'bob').map((p) => p.producerId)).toEqual([producerId]);

    const recv = await media.createPlainTransport('call-1', 'bob', 'recv');
    await recv.connect({ ip: '127.0.0.1', port: 9 });
    const consumer = await media.consume('call-1', 'bob', producerId, media.rtpCapabilitiesOf('call-1'));
    expect(consumer).toMatchObject({ producerId, kind: 'audio', userId: 'alice' });

    // Not a client's transport: no DTLS connect, no ICE restart.
    await expect(media.connectTransport('alice', send.id, {})).rejects.toMatchObject({ code: 'not_found' });
    await expect(media.restartIce('alice', send.id)).rejects.toMatchObject({ code: 'not_found' });

    // Leaving closes it like any other transport.
    media.leave('call-1', 'alice');
    expect(send.closed).toBe(true);
    expect(media.listProducers('call-1', 'bob')).toEqual([]);
  });
});
