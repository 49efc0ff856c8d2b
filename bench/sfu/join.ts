/**
 * Join latency and database queries on the media hot path, over real socket.io against the real built
 * server (`dist/server`, started here on a free port with a throwaway data folder, one mediasoup
 * worker, `query-counter.ts` preloaded). Per sample: alice starts a 1:1 call, bob answers and opens a
 * recv transport (not timed); then timed: alice's `call.join` -> send + recv WebRTC transports created
 * -> both connected (what a client does before media flows). Then produce (mic), bob consumes, alice
 * mutes (producer pause), and the call is hung up. Queries are counted per step.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request as ok, startParley } from '../support/parley.ts';

export interface JoinResult {
  samples: number[];
  queries: { join: number; transports: number; produce: number; consume: number; mute: number };
  /** The statements of the last sample's `call.join`. */
  joinStatements: string[];
}

const DTLS = {
  role: 'client',
  fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }],
};

function queryCount(server: ChildProcess): Promise<{ count: number; recent: string[] }> {
  return new Promise((done) => {
    const onMessage = (message: { type?: string; count: number; recent: string[] }) => {
      if (message.type !== 'queries') return;
      server.off('message', onMessage);
      done({ count: message.count, recent: message.recent });
    };
    server.on('message', onMessage);
    server.send({ type: 'queries' });
  });
}

export async function measureJoins(root: string, joins: number, deadline: number): Promise<JoinResult> {
  const server = await startParley({
    nodeArgs: ['--import', join(root, 'bench/sfu/query-counter.ts')],
    env: { MEDIASOUP_WORKERS: '1', DEFAULT_STUN_URL: 'none' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const base = server.base;
  try {
    const alice = await server.login('alice');
    const bob = await server.login('bob');
    // Loopback, ephemeral media port (as the integration specs do).
    const put = await fetch(`${base}/api/admin/providers/webrtc`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
      body: JSON.stringify({
        settings: { listenIp: '127.0.0.1', announcedAddress: '', rtcPort: 0, maxBitrate: 1_500_000 },
      }),
    });
    if (!put.ok) throw new Error(`provider settings: HTTP ${put.status}`);
    const caller = await server.connect(alice.token);
    const callee = await server.connect(bob.token);

    const samples: number[] = [];
    const queries = { join: 0, transports: 0, produce: 0, consume: 0, mute: 0 };
    let joinStatements: string[] = [];
    const warmup = 3;
    for (let i = 0; i < joins + warmup && Date.now() < deadline; i++) {
      const incoming = new Promise<void>((done) => callee.once('call.incoming', () => done()));
      const call = await ok<{ id: string }>(caller, 'call.start', {
        providerType: 'webrtc',
        target: { kind: 'user', userId: bob.user.id },
      });
      await incoming;
      const answered = await ok<{ joinInfo: { routerRtpCapabilities: unknown } }>(callee, 'call.answer', {
        callId: call.id,
      });
      await ok(callee, 'webrtc.transport.create', { callId: call.id, direction: 'recv' });

      const q0 = (await queryCount(server.process)).count;
      const t0 = performance.now();
      await ok(caller, 'call.join', { callId: call.id });
      const joined = await queryCount(server.process);
      const [send, recv] = await Promise.all([
        ok<{ id: string }>(caller, 'webrtc.transport.create', { callId: call.id, direction: 'send' }),
        ok<{ id: string }>(caller, 'webrtc.transport.create', { callId: call.id, direction: 'recv' }),
      ]);
      await Promise.all([
        ok(caller, 'webrtc.transport.connect', { transportId: send.id, dtlsParameters: DTLS }),
        ok(caller, 'webrtc.transport.connect', { transportId: recv.id, dtlsParameters: DTLS }),
      ]);
      const t1 = performance.now();
      const q1 = (await queryCount(server.process)).count;
      const { producerId } = await ok<{ producerId: string }>(caller, 'webrtc.produce', {
        transportId: send.id,
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
          encodings: [{ ssrc: 1000 + i }],
        },
        appData: { source: 'mic' },
      });
      const q2 = (await queryCount(server.process)).count;
      await ok(callee, 'webrtc.consume', {
        callId: call.id,
        producerId,
        rtpCapabilities: answered.joinInfo.routerRtpCapabilities,
      });
      const q3 = (await queryCount(server.process)).count;
      await ok(caller, 'webrtc.producer.pause', { producerId });
      const q4 = (await queryCount(server.process)).count;
      if (i >= warmup) {
        samples.push(t1 - t0);
        queries.join += joined.count - q0;
        queries.transports += q1 - joined.count;
        joinStatements = joined.recent.slice(Math.max(0, joined.recent.length - (joined.count - q0)));
        queries.produce += q2 - q1;
        queries.consume += q3 - q2;
        queries.mute += q4 - q3;
      }
      await ok(caller, 'call.hangup', { callId: call.id });
    }
    return { samples, queries, joinStatements };
  } finally {
    await server.stop();
  }
}
