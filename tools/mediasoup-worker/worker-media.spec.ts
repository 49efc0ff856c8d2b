// Proves that the mediasoup worker installed on this machine forwards real RTP:
// a UDP socket sends Opus-shaped RTP into one PlainTransport, mediasoup routes it
// to a consumer on a second PlainTransport, and another UDP socket counts what
// arrives and checks the payload bytes. Loopback only.
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { createWorker, types } from 'mediasoup';

const PAYLOAD_TYPE = 100;
const SSRC = 0x1234abcd;
const PACKETS = 200;

function rtpPacket(seq: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80; // version 2, no padding/extension/CSRC
  header[1] = PAYLOAD_TYPE;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE((seq * 960) >>> 0, 4); // 20 ms of 48 kHz audio per packet
  header.writeUInt32BE(SSRC, 8);
  return Buffer.concat([header, payload]);
}

/** The payload of an RTP packet: after the CSRCs and the header extension mediasoup may add. */
function rtpPayload(packet: Buffer): Buffer {
  let offset = 12 + (packet[0] & 0x0f) * 4;
  if (packet[0] & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  return packet.subarray(offset);
}

function bind(socket: dgram.Socket): Promise<number> {
  return new Promise((resolve) =>
    socket.bind(0, '127.0.0.1', () => resolve((socket.address() as AddressInfo).port)),
  );
}

describe('mediasoup worker on this machine', () => {
  let worker: types.Worker;
  const sockets: dgram.Socket[] = [];

  beforeAll(async () => {
    worker = await createWorker({ logLevel: 'warn' });
  });

  afterAll(() => {
    sockets.forEach((socket) => socket.close());
    worker?.close();
  });

  it('forwards RTP from one transport to another on 127.0.0.1', async () => {
    const router = await worker.createRouter({
      mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
    });
    const sendTransport = await router.createPlainTransport({
      listenIp: '127.0.0.1',
      rtcpMux: true,
      comedia: true,
    });
    const recvTransport = await router.createPlainTransport({
      listenIp: '127.0.0.1',
      rtcpMux: true,
      comedia: false,
    });

    const sender = dgram.createSocket('udp4');
    const receiver = dgram.createSocket('udp4');
    sockets.push(sender, receiver);
    await bind(sender);
    const receiverPort = await bind(receiver);
    await recvTransport.connect({ ip: '127.0.0.1', port: receiverPort });

    const producer = await sendTransport.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: PAYLOAD_TYPE, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: SSRC }],
      },
    });
    const consumer = await recvTransport.consume({
      producerId: producer.id,
      rtpCapabilities: router.rtpCapabilities,
      paused: false,
    });
    const consumerPayloadType = consumer.rtpParameters.codecs[0].payloadType;

    const received: Buffer[] = [];
    const allArrived = new Promise<void>((resolve) => {
      receiver.on('message', (msg) => {
        if ((msg[1] & 0x7f) !== consumerPayloadType) return; // RTCP or other
        received.push(msg);
        if (received.length === PACKETS) resolve();
      });
    });

    const { localPort } = sendTransport.tuple;
    for (let seq = 0; seq < PACKETS; seq++) {
      const payload = Buffer.alloc(160, seq % 256);
      await new Promise<void>((resolve, reject) =>
        sender.send(rtpPacket(seq, payload), localPort, '127.0.0.1', (err) =>
          err ? reject(err) : resolve(),
        ),
      );
    }
    await allArrived;
    receiver.removeAllListeners();

    // Same payload bytes, in order, rewritten to the consumer's SSRC and payload type.
    const consumerSsrc = consumer.rtpParameters.encodings?.[0].ssrc;
    received.forEach((msg, i) => {
      expect(msg.readUInt32BE(8)).toBe(consumerSsrc);
      expect(rtpPayload(msg)).toEqual(Buffer.alloc(160, i % 256));
    });
    const [producerStats] = await producer.getStats();
    expect(producerStats.packetCount).toBe(PACKETS);
    expect(producerStats.byteCount).toBe(PACKETS * (12 + 160));

    router.close();
  });
});
