/**
 * Parley's Prometheus metrics (prom-client), one registry per server. Every gauge is read when
 * scraped, from the live in-memory state (calls, rooms, workers): nothing is counted on the call
 * path and nothing reads the database. The only counters kept as things happen are the socket
 * message counter, one increment per reply, and the rate-limited one, one per refused request.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** One live call (ringing or active). */
export interface CallLoad {
  provider: string;
  kind: string;
  /** Participants joined now. */
  participants: number;
}

/** One running mediasoup worker, from its `getResourceUsage()`. */
export interface WorkerLoad {
  /** The worker's slot (kept when it is restarted). */
  worker: string;
  /** User + system CPU time since the worker started. */
  cpuSeconds: number;
  /** Peak resident set size of the worker process (`ru_maxrss`). */
  maxRssBytes: number;
}

/** The SFU's producers and consumers, by media kind. */
export interface MediaLoad {
  producers: Record<string, number>;
  consumers: Record<string, number>;
}

/** Where the gauges read from, at scrape time. The media parts are absent without the WebRTC connector. */
export interface MetricsSources {
  sockets(): number;
  calls(): Iterable<CallLoad>;
  recordingsActive(): number;
  media?(): MediaLoad;
  workers?(): Promise<WorkerLoad[]>;
}

export const METRICS_PREFIX = 'parley_';
const MEDIA_KINDS = ['audio', 'video'];
/** What `outcome` may be: `ok`, a socket error code, `no_reply`; anything else is counted as `error`. */
const OUTCOME = /^[a-z][a-z_]{0,31}$/;

/** The outcome label of a socket reply: `ok`, the error code of an `{ok:false}` reply, or `no_reply`. */
export function replyOutcome(reply: unknown): string {
  if (reply === undefined || reply === null) return 'no_reply';
  const { ok, error } = reply as { ok?: unknown; error?: { code?: unknown } };
  if (ok === true) return 'ok';
  const code = ok === false ? error?.code : undefined;
  return typeof code === 'string' && OUTCOME.test(code) ? code : 'error';
}

export class ParleyMetrics {
  readonly registry = new Registry();
  private readonly messages: Counter<'event' | 'outcome'>;
  private readonly rateLimited: Counter<'event' | 'limit'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: METRICS_PREFIX });

    new Gauge({
      name: 'parley_sockets_connected',
      help: 'Signed-in socket.io connections (browser tabs) on this server.',
      registers,
      collect() {
        this.set(sources.sockets());
      },
    });

    // A provider/kind pair seen once keeps reporting (0 when it has no call) instead of vanishing.
    const seen = new Map<string, { provider: string; kind: string }>();
    new Gauge({
      name: 'parley_calls_live',
      help: 'Calls not ended yet (ringing or active) on this server, by provider and kind.',
      labelNames: ['provider', 'kind'],
      registers,
      collect() {
        const counts = new Map<string, number>();
        for (const call of sources.calls()) {
          const key = `${call.provider}\n${call.kind}`;
          if (!seen.has(key)) seen.set(key, { provider: call.provider, kind: call.kind });
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        for (const [key, labels] of seen) this.set(labels, counts.get(key) ?? 0);
      },
    });
    new Gauge({
      name: 'parley_call_participants',
      help: 'Participants joined in the live calls on this server.',
      registers,
      collect() {
        let participants = 0;
        for (const call of sources.calls()) participants += call.participants;
        this.set(participants);
      },
    });

    new Gauge({
      name: 'parley_recordings_active',
      help: 'Call recordings going on now on this server.',
      registers,
      collect() {
        this.set(sources.recordingsActive());
      },
    });

    if (sources.media) this.mediaGauges(sources.media, registers);
    if (sources.workers) this.workerMetrics(sources.workers, registers);

    this.messages = new Counter({
      name: 'parley_socket_messages_total',
      help: 'Socket requests answered, by event name and outcome (ok, an error code, or no_reply).',
      labelNames: ['event', 'outcome'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'parley_socket_rate_limited_total',
      help: 'Socket requests refused rate_limited, by event name and the limit they hit (socket, user, room.send, call.reaction).',
      labelNames: ['event', 'limit'],
      registers,
    });
  }

  /** Counts one answered socket request (`reply` as sent: `{ok:true}` or `{ok:false,error:{code}}`). */
  socketReply(event: string, reply: unknown): void {
    this.messages.inc({ event, outcome: replyOutcome(reply) });
  }

  /** Counts one request refused `rate_limited` by `limit` (its reply is counted by {@link socketReply}). */
  socketRateLimited(event: string, limit: string): void {
    this.rateLimited.inc({ event, limit });
  }

  /** The exposition in Prometheus text format, and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private mediaGauges(media: () => MediaLoad, registers: Registry[]): void {
    for (const [what, help] of [
      ['producers', "Participants' mediasoup producers (media sent into the SFU), by kind."],
      ['consumers', "Participants' mediasoup consumers (media forwarded by the SFU), by kind."],
    ] as const) {
      new Gauge({
        name: `parley_mediasoup_${what}`,
        help,
        labelNames: ['kind'],
        registers,
        collect() {
          const counts = media()[what];
          for (const kind of MEDIA_KINDS) this.set({ kind }, counts[kind] ?? 0);
        },
      });
    }
  }

  private workerMetrics(workers: () => Promise<WorkerLoad[]>, registers: Registry[]): void {
    // One probe of the workers per scrape for both metrics (the registry collects them together).
    let probing: Promise<WorkerLoad[]> | null = null;
    const probe = () =>
      (probing ??= workers().finally(() => {
        probing = null;
      }));
    // A worker that is dead (until restarted) or does not answer has no sample. Both a counter and
    // a gauge can be refilled as reset + inc.
    const perWorker = (name: string, help: string, value: (load: WorkerLoad) => number) => ({
      name,
      help,
      labelNames: ['worker'] as const,
      registers,
      async collect(this: { reset(): void; inc(labels: { worker: string }, value: number): void }) {
        const loads = await probe();
        this.reset();
        for (const load of loads) this.inc({ worker: load.worker }, value(load));
      },
    });
    new Counter(
      perWorker(
        'parley_mediasoup_worker_cpu_seconds_total',
        'CPU time (user + system) used by each running mediasoup worker since it started (resets when it is restarted).',
        (load) => load.cpuSeconds,
      ),
    );
    new Gauge(
      perWorker(
        'parley_mediasoup_worker_rss_bytes',
        'Peak resident set size (ru_maxrss) of each running mediasoup worker process.',
        (load) => load.maxRssBytes,
      ),
    );
  }
}
