/** UDP ports on 127.0.0.1 for ffmpeg's RTP inputs: picking free pairs, seeing ffmpeg bind them. */
import dgram from 'node:dgram';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';

function bind(port: number): Promise<dgram.Socket | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

/**
 * `count` ports P, each with P+1 free too (ffmpeg binds RTP on P and RTCP on P+1), chosen by the
 * kernel. They are free when this returns; ffmpeg binds them right after (the window is short).
 */
export async function freeUdpPortPairs(count: number): Promise<number[]> {
  const held: dgram.Socket[] = [];
  const ports: number[] = [];
  try {
    for (let attempt = 0; ports.length < count && attempt < count * 20; attempt++) {
      const rtp = await bind(0);
      if (!rtp) continue;
      const port = (rtp.address() as AddressInfo).port;
      const rtcp = port < 65535 ? await bind(port + 1) : null;
      held.push(rtp);
      if (!rtcp) continue;
      held.push(rtcp);
      ports.push(port);
    }
  } finally {
    await Promise.all(held.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }
  if (ports.length < count) throw new Error(`could not find ${count} free UDP port pairs on 127.0.0.1`);
  return ports;
}

/**
 * `/proc/net/udp` (or udp6) text → local port → bytes waiting in its receive queue. Lines look like
 * `sl local_address rem_address st tx_queue:rx_queue …`, addresses and queues in hex.
 */
export function parseProcNetUdp(text: string): Map<number, number> {
  const queues = new Map<number, number>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const port = fields[1] ? parseInt(fields[1].split(':')[1] ?? '', 16) : NaN;
    const rx = fields[4] ? parseInt(fields[4].split(':')[1] ?? '', 16) : 0;
    if (Number.isFinite(port)) queues.set(port, (queues.get(port) ?? 0) + (rx || 0));
  }
  return queues;
}

/**
 * Local UDP ports with a socket bound, and the bytes waiting in each one's receive queue (Linux:
 * /proc/net/udp of this network namespace; empty elsewhere).
 */
export async function udpReceiveQueues(): Promise<Map<number, number>> {
  const queues = new Map<number, number>();
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const [port, rx] of parseProcNetUdp(text)) queues.set(port, (queues.get(port) ?? 0) + rx);
  }
  return queues;
}

/** Local UDP ports with a socket bound (Linux: /proc/net/udp of this network namespace). */
export async function boundUdpPorts(): Promise<Set<number>> {
  return new Set((await udpReceiveQueues()).keys());
}

/**
 * Resolves once nothing waits in the receive queues of `ports` (ffmpeg has read every packet sent
 * to it), when `gone` settles, or after `timeoutMs`. Answers whether the queues drained.
 */
export async function waitForDrained(
  ports: number[],
  gone: Promise<unknown>,
  timeoutMs: number,
): Promise<boolean> {
  let ended = false;
  void gone.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  while (!ended) {
    const queues = await udpReceiveQueues();
    if (ports.every((port) => !queues.get(port))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/**
 * Resolves once every port is bound (by ffmpeg); rejects if `gone` settles first or after
 * `timeoutMs`. Without /proc (not Linux) it waits one second and hopes.
 */
export async function waitForBound(
  ports: number[],
  gone: Promise<unknown>,
  timeoutMs = 10_000,
): Promise<void> {
  let ended = false;
  void gone.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ended) throw new Error('ffmpeg exited while starting');
    const bound = await boundUdpPorts();
    if (bound.size === 0) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return;
    }
    if (ports.every((port) => bound.has(port))) return;
    if (Date.now() > deadline) throw new Error('ffmpeg did not open its RTP inputs in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
