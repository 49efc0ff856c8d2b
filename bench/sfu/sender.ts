/**
 * Publisher process of the SFU bench (forked by run.ts): Opus-shaped and VP8-shaped RTP into the
 * producers' PlainTransports over loopback UDP, one socket per publisher, paced on the monotonic
 * clock. IPC: `{ type: 'target', streams }` switches the load to those streams (an empty list
 * pauses it), `{ type: 'exit' }` ends the process.
 */
import dgram from 'node:dgram';
import { AUDIO_PPS, nowMicros, rtpPacket, type StreamSpec, VIDEO_PPS } from './rtp.ts';

interface Running {
  spec: StreamSpec;
  startMicros: bigint;
  sent: number;
}

type Command = { type: 'target'; streams: StreamSpec[] } | { type: 'exit' };

const sockets: dgram.Socket[] = [];
/** Counters survive target switches, so each SFU's streams stay gap-free. */
const counters = new Map<number, number>();
let running: Running[] = [];

function socketOf(index: number): dgram.Socket {
  while (sockets.length <= index) {
    const socket = dgram.createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    sockets.push(socket);
  }
  return sockets[index];
}

function tick(): void {
  const now = nowMicros();
  for (const stream of running) {
    const pps = stream.spec.kind === 'video' ? VIDEO_PPS : AUDIO_PPS;
    const due = Math.floor((Number(now - stream.startMicros) * pps) / 1e6) + 1;
    while (stream.sent < due) {
      const counter = counters.get(stream.spec.id) ?? 0;
      counters.set(stream.spec.id, counter + 1);
      stream.sent++;
      socketOf(stream.spec.socket).send(
        rtpPacket(stream.spec, counter, counter, now),
        stream.spec.port,
        '127.0.0.1',
      );
    }
  }
}

const timer = setInterval(tick, 2);

process.on('message', (message: Command) => {
  if (message.type === 'target') {
    const start = nowMicros();
    running = message.streams.map((spec) => ({ spec, startMicros: start, sent: 0 }));
    process.send?.({ type: 'ok' });
  } else {
    clearInterval(timer);
    for (const socket of sockets) socket.close();
    process.disconnect?.();
  }
});
process.send?.({ type: 'ready' });
