/**
 * SFU benchmark: the same forwarding load through Parley's MediasoupService (its router of a call,
 * with the speaker observers, producers/consumers made by the service; PlainTransports through its
 * `createPlainTransport`) and through a bare mediasoup script (same worker settings: one worker, same
 * codecs), interleaved step by step in one run, then join latency + database queries against the real
 * built server. Loopback only; bounded (≤ 4 minutes); prints a table.
 *
 *   npx nx run server:build && node bench/sfu/run.ts
 *
 * Load: 4 publishers in a separate process (sender.ts), each an Opus-shaped (50 pps) and a VP8-shaped
 * (400 pps) stream into its PlainTransport; subscribers are PlainTransports consuming every stream,
 * delivering to sockets in another process (receiver.ts). Subscribers ramp in steps until the break
 * point (loss > 1% or p99 latency > 20 ms above the first step's) or the cap.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import esbuild from 'esbuild';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { measureJoins } from './join.ts';
import { OPUS_PT, type StreamSpec, VP8_PT } from './rtp.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const STARTED = Date.now();
const LIMIT_MS = 235_000;
const PUBLISHERS = 4;
const STEPS = [1, 2, 4, 6, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 72];
const SETTLE_MS = 600;
const WINDOW_MS = 3000;
const JOINS = 50;
const BREAK_LOSS = 0.01;
const BREAK_ADDED_P99_MS = 20;

const SETTINGS = {
  listenIp: '127.0.0.1',
  announcedAddress: '',
  rtcPort: 0,
  maxBitrate: 1_500_000,
  screenShareAllowed: true,
};

/** What the bench uses of MediasoupService (bundled from the sources with esbuild). */
interface ParleyMedia {
  onModuleInit(): Promise<void>;
  onModuleDestroy(): Promise<void>;
  ensureRoom(
    callId: string,
    settings: typeof SETTINGS,
  ): Promise<{ router: types.Router; slot: { worker: types.Worker | null } }>;
  join(callId: string, userId: string, settings: typeof SETTINGS): Promise<void>;
  createPlainTransport(
    callId: string,
    userId: string,
    direction: 'send' | 'recv',
  ): Promise<types.PlainTransport>;
  produce(
    userId: string,
    transportId: string,
    kind: 'audio' | 'video',
    rtpParameters: unknown,
    appData: Record<string, unknown>,
  ): Promise<string>;
  consume(callId: string, userId: string, producerId: string, caps: unknown): Promise<{ id: string }>;
  setConsumerPaused(userId: string, consumerId: string, paused: boolean): Promise<void>;
}

interface ServiceModule {
  MediasoupService: new (options: { workers: number; logLevel: types.WorkerLogLevel }) => ParleyMedia;
  MEDIA_CODECS: types.RouterRtpCodecCapability[];
}

interface Sfu {
  name: 'parley' | 'bare';
  worker: types.Worker;
  streams: StreamSpec[];
  consumers: number;
  addSubscriber(port: number): Promise<void>;
  close(): Promise<void>;
}

interface Step {
  subscribers: number;
  consumers: number;
  pps: number;
  cpu: number;
  perCore: number;
  loss: number;
  p50: number;
  p99: number;
  addedP99: number;
  broke: boolean;
}

function loadService(): ServiceModule {
  const outfile = join(ROOT, 'tmp/bench-sfu/mediasoup.service.cjs');
  mkdirSync(join(ROOT, 'tmp/bench-sfu'), { recursive: true });
  esbuild.buildSync({
    entryPoints: [join(ROOT, 'libs/connectors/webrtc/src/lib/mediasoup.service.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    tsconfig: join(ROOT, 'tsconfig.base.json'),
    outfile,
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile) as ServiceModule;
}

const audioParams = (ssrc: number) => ({
  codecs: [{ mimeType: 'audio/opus', payloadType: OPUS_PT, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc }],
});
const videoParams = (ssrc: number) => ({
  codecs: [{ mimeType: 'video/VP8', payloadType: VP8_PT, clockRate: 90000 }],
  encodings: [{ ssrc }],
});

function streamsOf(base: number, publisher: number, port: number): StreamSpec[] {
  return [
    { id: base + publisher * 2, kind: 'audio', ssrc: 1000 + publisher, port, socket: publisher },
    { id: base + publisher * 2 + 1, kind: 'video', ssrc: 2000 + publisher, port, socket: publisher },
  ];
}

async function parleySfu(service: ServiceModule): Promise<Sfu> {
  const media = new service.MediasoupService({ workers: 1, logLevel: 'warn' });
  await media.onModuleInit();
  const callId = 'bench-call';
  const room = await media.ensureRoom(callId, SETTINGS);
  const caps = room.router.rtpCapabilities;
  const streams: StreamSpec[] = [];
  const producers: string[] = [];
  for (let p = 0; p < PUBLISHERS; p++) {
    const userId = `publisher-${p}`;
    await media.join(callId, userId, SETTINGS);
    const transport = await media.createPlainTransport(callId, userId, 'send');
    const audio = await media.produce(userId, transport.id, 'audio', audioParams(1000 + p), {
      source: 'mic',
    });
    const video = await media.produce(userId, transport.id, 'video', videoParams(2000 + p), {
      source: 'camera',
    });
    producers.push(audio, video);
    streams.push(...streamsOf(0, p, transport.tuple.localPort));
  }
  let subscribers = 0;
  const sfu: Sfu = {
    name: 'parley',
    worker: room.slot.worker as types.Worker,
    streams,
    consumers: 0,
    async addSubscriber(port) {
      const userId = `subscriber-${subscribers++}`;
      await media.join(callId, userId, SETTINGS);
      const transport = await media.createPlainTransport(callId, userId, 'recv');
      await transport.connect({ ip: '127.0.0.1', port });
      for (const producerId of producers) {
        const consumer = await media.consume(callId, userId, producerId, caps);
        await media.setConsumerPaused(userId, consumer.id, false);
        sfu.consumers++;
      }
    },
    close: () => media.onModuleDestroy(),
  };
  return sfu;
}

async function bareSfu(service: ServiceModule): Promise<Sfu> {
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  const router = await worker.createRouter({ mediaCodecs: service.MEDIA_CODECS });
  const listenInfo = { protocol: 'udp', ip: '127.0.0.1' } as const;
  const streams: StreamSpec[] = [];
  const producers: string[] = [];
  for (let p = 0; p < PUBLISHERS; p++) {
    const transport = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
    const audio = await transport.produce({ kind: 'audio', rtpParameters: audioParams(1000 + p) });
    const video = await transport.produce({ kind: 'video', rtpParameters: videoParams(2000 + p) });
    producers.push(audio.id, video.id);
    streams.push(...streamsOf(100, p, transport.tuple.localPort));
  }
  const sfu: Sfu = {
    name: 'bare',
    worker,
    streams,
    consumers: 0,
    async addSubscriber(port) {
      const transport = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: false });
      await transport.connect({ ip: '127.0.0.1', port });
      for (const producerId of producers) {
        await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities, paused: false });
        sfu.consumers++;
      }
    },
    close: async () => worker.close(),
  };
  return sfu;
}

function child(file: string): Promise<ChildProcess> {
  const proc = fork(join(import.meta.dirname, file), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((done) => proc.once('message', () => done(proc)));
}

function ask<T>(proc: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise((done) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== reply) return;
      proc.off('message', onMessage);
      done(m as T);
    };
    proc.on('message', onMessage);
    proc.send(message);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = async (worker: types.Worker) => {
  const usage = await worker.getResourceUsage();
  return usage.ru_utime + usage.ru_stime;
};
const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 3 : 1)}%`;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const k = (x: number) => `${(x / 1000).toFixed(1)}k`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function measure(
  sfu: Sfu,
  sender: ChildProcess,
  receiver: ChildProcess,
  subscribers: number,
  base: Step | undefined,
): Promise<Step> {
  await ask(sender, { type: 'target', streams: sfu.streams }, 'ok');
  await sleep(SETTLE_MS);
  await ask(receiver, { type: 'window' }, 'ok');
  const cpu0 = await cpuMs(sfu.worker);
  const t0 = performance.now();
  await sleep(WINDOW_MS);
  const report = await ask<{
    seconds: number;
    received: number;
    gaps: number;
    p50: number;
    p99: number;
  }>(receiver, { type: 'report' }, 'report');
  const cpu = ((await cpuMs(sfu.worker)) - cpu0) / (performance.now() - t0);
  await ask(sender, { type: 'target', streams: [] }, 'ok');
  const pps = report.received / report.seconds;
  const loss = report.gaps / Math.max(1, report.received + report.gaps);
  const addedP99 = base ? report.p99 - base.p99 : 0;
  return {
    subscribers,
    consumers: sfu.consumers,
    pps,
    cpu,
    perCore: cpu > 0 ? pps / cpu : 0,
    loss,
    p50: report.p50,
    p99: report.p99,
    addedP99,
    broke: loss > BREAK_LOSS || addedP99 > BREAK_ADDED_P99_MS,
  };
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`time limit (${LIMIT_MS / 1000} s) reached: stopping`);
    process.exit(2);
  }, LIMIT_MS);
  watchdog.unref();
  const load0 = loadavg();
  console.log(
    `SFU bench: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, mediasoup ${mediasoup.version}, load average ${load0.map((x) => x.toFixed(2)).join(' ')}`,
  );
  console.log(
    `load: ${PUBLISHERS} publishers x (opus 50 pps + VP8 400 pps) = ${PUBLISHERS * 450} pps in; every subscriber consumes all ${PUBLISHERS * 2} streams; windows ${WINDOW_MS} ms`,
  );
  const service = loadService();
  const sender = await child('sender.ts');
  const receiver = await child('receiver.ts');
  const sfus = [await parleySfu(service), await bareSfu(service)];
  const results = new Map<string, Step[]>(sfus.map((s) => [s.name, []]));
  const header = `${'sfu'.padEnd(7)}${'subs'.padStart(5)}${'consumers'.padStart(10)}${'fwd pps'.padStart(9)}${'worker CPU'.padStart(11)}${'pps/core'.padStart(9)}${'loss'.padStart(9)}${'p50'.padStart(9)}${'p99'.padStart(9)}${'+p99'.padStart(9)}`;
  console.log(`\nforwarding (Parley and bare interleaved per step):\n${header}`);
  try {
    let current = 0;
    for (const target of STEPS) {
      if (Date.now() - STARTED > LIMIT_MS - 80_000) {
        console.log('  (ramp stopped: time budget)');
        break;
      }
      const live = sfus.filter((s) => !results.get(s.name)?.some((r) => r.broke));
      if (live.length === 0) break;
      const ports = (
        await ask<{ ports: number[] }>(
          receiver,
          { type: 'open', count: (target - current) * live.length },
          'ports',
        )
      ).ports;
      for (const sfu of live) {
        for (let i = current; i < target; i++) await sfu.addSubscriber(ports.shift() as number);
      }
      current = target;
      for (const sfu of live) {
        const steps = results.get(sfu.name) as Step[];
        let step = await measure(sfu, sender, receiver, target, steps[0]);
        // A step breaks only if three windows in a row break (the machine is shared: a neighbour's
        // burst must not end the ramp); the best of them is kept.
        for (let retry = 0; step.broke && retry < 2; retry++) {
          const again = await measure(sfu, sender, receiver, target, steps[0]);
          if (!again.broke || again.loss + again.addedP99 / 1000 < step.loss + step.addedP99 / 1000)
            step = again;
        }
        steps.push(step);
        console.log(
          `${sfu.name.padEnd(7)}${String(step.subscribers).padStart(5)}${String(step.consumers).padStart(10)}${k(step.pps).padStart(9)}${pct(step.cpu).padStart(11)}${k(step.perCore).padStart(9)}${pct(step.loss).padStart(9)}${ms(step.p50).padStart(9)}${ms(step.p99).padStart(9)}${ms(step.addedP99).padStart(9)}${step.broke ? '  <- break' : ''}`,
        );
      }
    }
  } finally {
    sender.send({ type: 'exit' });
    receiver.send({ type: 'exit' });
    for (const sfu of sfus) await sfu.close();
  }

  // Summary: the best step within the goal's bounds, the break point, and Parley / bare.
  console.log('\nsummary:');
  const best = new Map<string, Step | undefined>();
  for (const [name, steps] of results) {
    const ok = steps.filter((s) => s.loss <= 0.001 && s.cpu <= 0.85 && !s.broke);
    const top = ok.sort((a, b) => b.pps - a.pps)[0];
    best.set(name, top);
    const broke = steps.find((s) => s.broke);
    const peak = Math.max(...steps.map((s) => s.perCore));
    console.log(
      `  ${name.padEnd(7)} best step within loss <= 0.1% and CPU <= 85%: ${top ? `${k(top.pps)} pps at ${pct(top.cpu)} CPU = ${k(top.perCore)} pps per worker core (${top.consumers} consumers)` : 'none'}; highest pps/core ${k(peak)}; break point: ${broke ? `${broke.consumers} consumers (${broke.subscribers} subscribers; loss ${pct(broke.loss)}, +p99 ${ms(broke.addedP99)})` : `none up to ${steps.at(-1)?.consumers ?? 0} consumers (cap)`}`,
    );
  }
  const parley = results.get('parley') ?? [];
  const bare = results.get('bare') ?? [];
  const ratios = parley
    .map((p, i) => (bare[i] && p.perCore > 0 && bare[i].perCore > 0 ? p.perCore / bare[i].perCore : 0))
    .filter((r) => r > 0)
    .sort((a, b) => a - b);
  const bp = best.get('parley');
  const bb = best.get('bare');
  console.log(
    `  Parley / bare: pps per worker core, median over ${ratios.length} common steps ${ratios.length ? pct(percentile(ratios, 50)) : 'n/a'} (range ${ratios.length ? `${pct(ratios[0])}–${pct(ratios[ratios.length - 1])}` : 'n/a'}); best sustained pps ${bp && bb ? pct(bp.pps / bb.pps) : 'n/a'}`,
  );

  console.log(`\njoin latency over socket.io against dist/server (${JOINS} joins after 3 warm-ups):`);
  try {
    const joins = await measureJoins(ROOT, JOINS, STARTED + LIMIT_MS - 5_000);
    const sorted = [...joins.samples].sort((a, b) => a - b);
    console.log(
      `  call.join -> send+recv transports created + connected: n=${sorted.length} p50 ${ms(percentile(sorted, 50))} p95 ${ms(percentile(sorted, 95))} min ${ms(sorted[0])} max ${ms(sorted[sorted.length - 1])}`,
    );
    const q = joins.queries;
    console.log(
      `  database queries (TypeORM, over ${sorted.length} samples): call.join ${q.join}, transports create+connect ${q.transports}, produce ${q.produce}, consume ${q.consume}, mute ${q.mute}`,
    );
    if (joins.joinStatements.length > 0) {
      console.log(`  statements of one call.join:\n    ${joins.joinStatements.join('\n    ')}`);
    }
  } catch (error) {
    console.log(
      `  failed: ${error instanceof Error ? error.message : String(error)} (build the server first)`,
    );
  }
  console.log(
    `\nload average at the end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; run took ${((Date.now() - STARTED) / 1000).toFixed(0)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
