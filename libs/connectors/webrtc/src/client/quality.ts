/**
 * Call quality from WebRTC statistics, pure (no DOM, no timers): the counters of two `getStats()`
 * samples turned into loss / jitter / bitrate / round-trip time, and those into good, fair or poor.
 * `quality-monitor.ts` samples the transports every {@link QUALITY_SAMPLE_MS} and feeds this.
 *
 * Thresholds (either metric past a line is enough):
 * - poor: packet loss > 8 %, round-trip time > 400 ms or jitter > 100 ms
 * - fair: packet loss > 2 %, round-trip time > 200 ms or jitter > 30 ms
 * - good: otherwise (a metric not measured yet counts as fine)
 */
import type { CallQuality } from '@parley/connector-sdk/client';

export type { CallQuality } from '@parley/connector-sdk/client';

/** How often the transports are sampled. */
export const QUALITY_SAMPLE_MS = 2000;

export const QUALITY_THRESHOLDS = {
  poor: { lossPct: 8, rttMs: 400, jitterMs: 100 },
  fair: { lossPct: 2, rttMs: 200, jitterMs: 30 },
} as const;

/** One link's measurements over the last sample (null: not measured). */
export interface LinkMetrics {
  lossPct: number | null;
  rttMs: number | null;
  jitterMs: number | null;
  bitrateKbps: number | null;
}

export const NO_METRICS: LinkMetrics = { lossPct: null, rttMs: null, jitterMs: null, bitrateKbps: null };

/** The counters of an `inbound-rtp` entry that matter here. */
export interface InboundCounters {
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  /** Seconds, as the stats report it. */
  jitter: number | null;
  /** Milliseconds. */
  timestamp: number;
}

export function classify(metrics: LinkMetrics): CallQuality {
  const past = (line: { lossPct: number; rttMs: number; jitterMs: number }) =>
    (metrics.lossPct ?? 0) > line.lossPct ||
    (metrics.rttMs ?? 0) > line.rttMs ||
    (metrics.jitterMs ?? 0) > line.jitterMs;
  if (past(QUALITY_THRESHOLDS.poor)) return 'poor';
  if (past(QUALITY_THRESHOLDS.fair)) return 'fair';
  return 'good';
}

/**
 * One inbound stream between two samples: loss = Δlost / (Δreceived + Δlost), bitrate from
 * Δbytes over Δtime. Without a previous sample (or after a counter reset) only jitter is known.
 */
export function inboundMetrics(previous: InboundCounters | undefined, next: InboundCounters): LinkMetrics {
  const jitterMs = next.jitter === null ? null : next.jitter * 1000;
  if (!previous || next.timestamp <= previous.timestamp || next.packetsReceived < previous.packetsReceived) {
    return { ...NO_METRICS, jitterMs };
  }
  const received = next.packetsReceived - previous.packetsReceived;
  const lost = Math.max(0, next.packetsLost - previous.packetsLost);
  const seconds = (next.timestamp - previous.timestamp) / 1000;
  return {
    lossPct: received + lost > 0 ? (lost / (received + lost)) * 100 : null,
    rttMs: null,
    jitterMs,
    bitrateKbps: Math.max(0, ((next.bytesReceived - previous.bytesReceived) * 8) / seconds / 1000),
  };
}

/**
 * A participant's streams (mic, camera, screen) as one link: the worst loss, jitter and round
 * trip (one bad stream is a bad link; video's retransmissions must not hide audio's loss) and
 * the sum of the bitrates.
 */
export function combine(streams: readonly LinkMetrics[]): LinkMetrics {
  const worst = (pick: (m: LinkMetrics) => number | null): number | null =>
    streams.reduce<number | null>((acc, m) => {
      const value = pick(m);
      return value === null ? acc : Math.max(acc ?? value, value);
    }, null);
  const rates = streams.map((m) => m.bitrateKbps).filter((v): v is number => v !== null);
  return {
    lossPct: worst((m) => m.lossPct),
    rttMs: worst((m) => m.rttMs),
    jitterMs: worst((m) => m.jitterMs),
    bitrateKbps: rates.length ? rates.reduce((a, b) => a + b, 0) : null,
  };
}

/** Where the selected ICE candidate pair runs: through a TURN relay, or directly. */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface UplinkMetrics extends LinkMetrics {
  /** The local candidate type of the selected pair (null: not connected yet). */
  candidateType: CandidateType | null;
}

type StatsEntry = Record<string, unknown> & { id: string; type: string };

/**
 * The send side from one `getStats()` report of the send transport: the media server's receiver
 * reports (`remote-inbound-rtp`: `fractionLost`, `roundTripTime`) and the selected candidate
 * pair's `currentRoundTripTime` (preferred when present) and local candidate type.
 */
export function uplinkMetrics(report: Iterable<StatsEntry>): UplinkMetrics {
  const entries = [...report];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const remote = entries.filter((e) => e.type === 'remote-inbound-rtp');
  const loss = remote.map((e) => num(e['fractionLost'])).filter((v): v is number => v !== null);
  const rtts = remote.map((e) => num(e['roundTripTime'])).filter((v): v is number => v !== null);
  const pair = selectedPair(entries, byId);
  const pairRtt = pair ? num(pair['currentRoundTripTime']) : null;
  const local = pair ? byId.get(String(pair['localCandidateId'])) : undefined;
  const type = local?.['candidateType'];
  const rtt = pairRtt ?? (rtts.length ? Math.max(...rtts) : null);
  return {
    lossPct: loss.length ? Math.max(...loss) * 100 : null,
    rttMs: rtt === null ? null : rtt * 1000,
    jitterMs: null,
    bitrateKbps: null,
    candidateType: isCandidateType(type) ? type : null,
  };
}

/** The transport's selected pair, else the nominated succeeded one (older browsers). */
function selectedPair(entries: StatsEntry[], byId: Map<string, StatsEntry>): StatsEntry | undefined {
  for (const entry of entries) {
    if (entry.type !== 'transport') continue;
    const pair = byId.get(String(entry['selectedCandidatePairId']));
    if (pair) return pair;
  }
  return entries.find(
    (e) => e.type === 'candidate-pair' && e['nominated'] === true && e['state'] === 'succeeded',
  );
}

function isCandidateType(value: unknown): value is CandidateType {
  return value === 'host' || value === 'srflx' || value === 'prflx' || value === 'relay';
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
