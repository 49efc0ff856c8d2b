/**
 * A throwaway coturn (Debian `coturn`, /usr/bin/turnserver) on 127.0.0.1 with TURN REST
 * authentication (`use-auth-secret`), plus a minimal STUN/TURN client over node:dgram that performs a
 * real Allocate exchange (RFC 5389 / RFC 5766 long-term credentials).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TURNSERVER = process.env['TURNSERVER_PATH'] ?? '/usr/bin/turnserver';

export interface TestCoturn {
  host: string;
  port: number;
  realm: string;
  /** `turn:127.0.0.1:<port>?transport=udp` */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createSocket('udp4');
    probe.once('error', reject);
    probe.bind(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const MAGIC = 0x2112a442;
const ATTR = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
  XOR_MAPPED_ADDRESS: 0x0020,
} as const;
const TYPE = {
  BINDING_REQUEST: 0x0001,
  BINDING_SUCCESS: 0x0101,
  ALLOCATE_REQUEST: 0x0003,
  ALLOCATE_SUCCESS: 0x0103,
  ALLOCATE_ERROR: 0x0113,
} as const;

export interface StunMessage {
  type: number;
  transactionId: Buffer;
  attributes: Map<number, Buffer>;
}

function attribute(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

/** Encodes a request; with `key`, appends MESSAGE-INTEGRITY (HMAC-SHA1 over the message, length incl. MI). */
export function encodeStun(type: number, transactionId: Buffer, attributes: Buffer[], key?: Buffer): Buffer {
  const body = Buffer.concat(attributes);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(body.length + (key ? 24 : 0), 2);
  header.writeUInt32BE(MAGIC, 4);
  transactionId.copy(header, 8);
  if (!key) return Buffer.concat([header, body]);
  const hmac = createHmac('sha1', key)
    .update(Buffer.concat([header, body]))
    .digest();
  return Buffer.concat([header, body, attribute(ATTR.MESSAGE_INTEGRITY, hmac)]);
}

export function decodeStun(data: Buffer): StunMessage {
  if (data.length < 20 || data.readUInt32BE(4) !== MAGIC) throw new Error('not a STUN message');
  const length = data.readUInt16BE(2);
  const attributes = new Map<number, Buffer>();
  for (let offset = 20; offset + 4 <= 20 + length;) {
    const type = data.readUInt16BE(offset);
    const size = data.readUInt16BE(offset + 2);
    attributes.set(type, data.subarray(offset + 4, offset + 4 + size));
    offset += 4 + Math.ceil(size / 4) * 4;
  }
  return { type: data.readUInt16BE(0), transactionId: data.subarray(8, 20), attributes };
}

function xorAddress(value: Buffer): { address: string; port: number } {
  const port = value.readUInt16BE(2) ^ (MAGIC >>> 16);
  const raw = value.readUInt32BE(4) ^ MAGIC;
  return { address: [raw >>> 24, (raw >>> 16) & 255, (raw >>> 8) & 255, raw & 255].join('.'), port };
}

/** Sends `message` and waits for the response with the same transaction id (retransmits every 250 ms). */
function transact(
  socket: Socket,
  host: string,
  port: number,
  message: Buffer,
  timeoutMs = 5000,
): Promise<StunMessage> {
  const transactionId = message.subarray(8, 20);
  return new Promise((resolve, reject) => {
    const send = () => socket.send(message, port, host);
    const retransmit = setInterval(send, 250);
    const timeout = setTimeout(() => {
      cleanup();
      reject(new Error(`no STUN answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (data: Buffer) => {
      try {
        const decoded = decodeStun(data);
        if (!decoded.transactionId.equals(transactionId)) return;
        cleanup();
        resolve(decoded);
      } catch {
        // not for us
      }
    };
    const cleanup = () => {
      clearInterval(retransmit);
      clearTimeout(timeout);
      socket.off('message', onMessage);
    };
    socket.on('message', onMessage);
    send();
  });
}

async function withSocket<T>(work: (socket: Socket) => Promise<T>): Promise<T> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  try {
    return await work(socket);
  } finally {
    socket.close();
  }
}

export type AllocateResult =
  | { ok: true; relayed: { address: string; port: number }; mapped: { address: string; port: number } | null }
  | { ok: false; errorCode: number; reason: string };

/**
 * A TURN Allocate with long-term credentials: unauthenticated request -> 401 with REALM + NONCE, then the
 * authenticated request with MESSAGE-INTEGRITY (key = MD5(username:realm:password)).
 */
export function turnAllocate(
  host: string,
  port: number,
  username: string,
  password: string,
): Promise<AllocateResult> {
  return withSocket(async (socket) => {
    const transport = attribute(ATTR.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0]));
    const challenge = await transact(
      socket,
      host,
      port,
      encodeStun(TYPE.ALLOCATE_REQUEST, randomBytes(12), [transport]),
    );
    const realm = challenge.attributes.get(ATTR.REALM);
    const nonce = challenge.attributes.get(ATTR.NONCE);
    if (challenge.type !== TYPE.ALLOCATE_ERROR || !realm || !nonce) {
      throw new Error(
        `expected a 401 challenge with REALM and NONCE, got type 0x${challenge.type.toString(16)}`,
      );
    }
    const key = createHash('md5')
      .update(`${username}:${realm.toString('utf8')}:${password}`)
      .digest();
    const request = encodeStun(
      TYPE.ALLOCATE_REQUEST,
      randomBytes(12),
      [
        transport,
        attribute(ATTR.USERNAME, Buffer.from(username)),
        attribute(ATTR.REALM, realm),
        attribute(ATTR.NONCE, nonce),
      ],
      key,
    );
    const answer = await transact(socket, host, port, request);
    if (answer.type === TYPE.ALLOCATE_SUCCESS) {
      const relayed = answer.attributes.get(ATTR.XOR_RELAYED_ADDRESS);
      if (!relayed) throw new Error('Allocate success without XOR-RELAYED-ADDRESS');
      const mapped = answer.attributes.get(ATTR.XOR_MAPPED_ADDRESS);
      return { ok: true, relayed: xorAddress(relayed), mapped: mapped ? xorAddress(mapped) : null };
    }
    const error = answer.attributes.get(ATTR.ERROR_CODE);
    if (answer.type !== TYPE.ALLOCATE_ERROR || !error) {
      throw new Error(`unexpected STUN answer type 0x${answer.type.toString(16)}`);
    }
    return { ok: false, errorCode: error[2] * 100 + error[3], reason: error.subarray(4).toString('utf8') };
  });
}

/** A STUN Binding request; resolves once the server answers. */
export function stunBinding(host: string, port: number, timeoutMs = 1000): Promise<StunMessage> {
  return withSocket((socket) =>
    transact(socket, host, port, encodeStun(TYPE.BINDING_REQUEST, randomBytes(12), []), timeoutMs),
  );
}

/** Starts coturn on 127.0.0.1 (free port) with `use-auth-secret`; resolves when it answers STUN. */
export async function startCoturn(sharedSecret: string, realm = 'parley.test'): Promise<TestCoturn> {
  if (!existsSync(TURNSERVER)) {
    throw new Error(`${TURNSERVER} not found: apt-get install -y coturn (tools/test-deps.sh does)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-turn-'));
  const port = await freeUdpPort();
  const relayBase = 50000 + Math.floor(Math.random() * 10000);
  const config = [
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${port}`,
    `min-port=${relayBase}`,
    `max-port=${relayBase + 50}`,
    'use-auth-secret',
    `static-auth-secret=${sharedSecret}`,
    `realm=${realm}`,
    'fingerprint',
    'no-tls',
    'no-dtls',
    'no-tcp',
    'no-cli',
    'allow-loopback-peers',
    'no-multicast-peers',
    'no-software-attribute',
    'log-file=stdout',
    'simple-log',
    `pidfile=${join(dir, 'turnserver.pid')}`,
    `userdb=${join(dir, 'turndb')}`,
  ].join('\n');
  writeFileSync(join(dir, 'turnserver.conf'), `${config}\n`);
  let output = '';
  const child: ChildProcess = spawn(TURNSERVER, ['-c', join(dir, 'turnserver.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`turnserver exited with ${child.exitCode} during start-up:\n${output}`);
    }
    try {
      await stunBinding('127.0.0.1', port, 500);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`turnserver did not answer STUN on 127.0.0.1:${port} within 15 s:\n${output}`);
      }
    }
  }
  return {
    host: '127.0.0.1',
    port,
    realm,
    url: `turn:127.0.0.1:${port}?transport=udp`,
    output: () => output,
    stop,
  };
}
