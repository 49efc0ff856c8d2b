/**
 * Subscriber process of the SFU bench (forked by run.ts): one UDP socket per subscriber transport;
 * counts forwarded RTP, sequence gaps of the bench counter per consumer SSRC (loss) and one-way
 * latency (send time in the payload, same monotonic clock). IPC: `{ type: 'open', count }` replies
 * the new sockets' ports; `{ type: 'window' }` starts a measurement window; `{ type: 'report' }`
 * replies the window's figures; `{ type: 'exit' }` ends the process.
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { nowMicros, readMark } from './rtp.ts';

type Command = { type: 'open'; count: number } | { type: 'window' } | { type: 'report' } | { type: 'exit' };

/** Latency histogram: 50 µs bins up to 2 s. */
const BIN_MICROS = 50;
const histogram = new Uint32Array(40_001);
const lastCounter = new Map<number, number>();
const sockets: dgram.Socket[] = [];
let received = 0;
let gaps = 0;
let windowStart = nowMicros();

function onPacket(packet: Buffer): void {
  const mark = readMark(packet);
  if (!mark) return;
  const now = nowMicros();
  received++;
  histogram[Math.min(histogram.length - 1, Number(now - mark.sentMicros) / BIN_MICROS) | 0]++;
  const last = lastCounter.get(mark.ssrc);
  if (last !== undefined && mark.counter > last + 1) gaps += mark.counter - last - 1;
  if (last === undefined || mark.counter > last) lastCounter.set(mark.ssrc, mark.counter);
}

function percentileMs(p: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= (p / 100) * total) return ((i + 0.5) * BIN_MICROS) / 1000;
  }
  return 0;
}

async function open(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const socket = dgram.createSocket('udp4');
    socket.on('message', onPacket);
    await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
    try {
      socket.setRecvBufferSize(4 * 1024 * 1024);
    } catch {
      // capped by net.core.rmem_max: the default buffer then
    }
    sockets.push(socket);
    ports.push((socket.address() as AddressInfo).port);
  }
  return ports;
}

process.on('message', (message: Command) => {
  if (message.type === 'open') {
    void open(message.count).then((ports) => process.send?.({ type: 'ports', ports }));
  } else if (message.type === 'window') {
    received = 0;
    gaps = 0;
    histogram.fill(0);
    windowStart = nowMicros();
    process.send?.({ type: 'ok' });
  } else if (message.type === 'report') {
    const seconds = Number(nowMicros() - windowStart) / 1e6;
    process.send?.({
      type: 'report',
      seconds,
      received,
      gaps,
      p50: percentileMs(50),
      p99: percentileMs(99),
    });
  } else {
    for (const socket of sockets) socket.close();
    process.disconnect?.();
  }
});
process.send?.({ type: 'ready' });
