/**
 * Samples a call's two transports every {@link QUALITY_SAMPLE_MS} (`getStats()` of the whole
 * peer connection each) and hands the levels to the call when one changes: per remote participant
 * from their inbound streams (`inbound-rtp`, matched to the user by track id), the own uplink
 * from the media server's receiver reports and the selected candidate pair (quality.ts).
 */
import {
  type CallQuality,
  type CandidateType,
  classify,
  combine,
  type InboundCounters,
  inboundMetrics,
  type LinkMetrics,
  QUALITY_SAMPLE_MS,
  uplinkMetrics,
} from './quality';

interface StatsSource {
  readonly id: string;
  readonly closed: boolean;
  getStats(): Promise<RTCStatsReport>;
}

export interface QualitySources {
  sender(): StatsSource | null;
  receiver(): StatsSource | null;
  /** The remote user whose track this is (null: not a participant's track). */
  userOfTrack(trackId: string): string | null;
}

export interface QualityUpdate {
  /** The own sending side (null: not measured yet). */
  uplink: CallQuality | null;
  /** What arrives from each remote participant. */
  participants: ReadonlyMap<string, CallQuality>;
  /** Each transport's local candidate type, by transport id (relay: through TURN). */
  candidates: ReadonlyMap<string, CandidateType>;
}

type StatsEntry = Record<string, unknown> & { id: string; type: string };

export class QualityMonitor {
  private readonly counters = new Map<string, InboundCounters>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private sampling = false;
  private last = '';

  constructor(
    private readonly sources: QualitySources,
    private readonly onChange: (update: QualityUpdate) => void,
    private readonly everyMs = QUALITY_SAMPLE_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.counters.clear();
  }

  /** One round: both reports, the levels, `onChange` when anything differs from the last round. */
  async sample(): Promise<void> {
    if (this.sampling) return; // a slow getStats() must not pile up rounds
    this.sampling = true;
    try {
      const send = this.sources.sender();
      const recv = this.sources.receiver();
      const [sendReport, recvReport] = await Promise.all([entriesOf(send), entriesOf(recv)]);
      const candidates = new Map<string, CandidateType>();
      let uplink: CallQuality | null = null;
      if (send && sendReport) {
        const metrics = uplinkMetrics(sendReport);
        if (metrics.candidateType) candidates.set(send.id, metrics.candidateType);
        if (metrics.lossPct !== null || metrics.rttMs !== null) uplink = classify(metrics);
      }
      if (recv && recvReport) {
        const type = uplinkMetrics(recvReport).candidateType;
        if (type) candidates.set(recv.id, type);
      }
      const participants = recvReport ? this.participants(recvReport) : new Map<string, CallQuality>();
      this.emit({ uplink, participants, candidates });
    } finally {
      this.sampling = false;
    }
  }

  private participants(report: StatsEntry[]): Map<string, CallQuality> {
    const byUser = new Map<string, LinkMetrics[]>();
    const seen = new Set<string>();
    for (const entry of report) {
      if (entry.type !== 'inbound-rtp') continue;
      const userId = this.sources.userOfTrack(String(entry['trackIdentifier'] ?? ''));
      if (!userId) continue;
      const next: InboundCounters = {
        packetsReceived: numberOr(entry['packetsReceived'], 0),
        packetsLost: numberOr(entry['packetsLost'], 0),
        bytesReceived: numberOr(entry['bytesReceived'], 0),
        jitter: typeof entry['jitter'] === 'number' ? entry['jitter'] : null,
        timestamp: numberOr(entry['timestamp'], 0),
      };
      seen.add(entry.id);
      const metrics = inboundMetrics(this.counters.get(entry.id), next);
      this.counters.set(entry.id, next);
      byUser.set(userId, [...(byUser.get(userId) ?? []), metrics]);
    }
    for (const id of [...this.counters.keys()]) if (!seen.has(id)) this.counters.delete(id);
    return new Map([...byUser].map(([userId, streams]) => [userId, classify(combine(streams))]));
  }

  private emit(update: QualityUpdate): void {
    const key = JSON.stringify([update.uplink, [...update.participants], [...update.candidates]]);
    if (key === this.last) return;
    this.last = key;
    this.onChange(update);
  }
}

async function entriesOf(source: StatsSource | null): Promise<StatsEntry[] | null> {
  if (!source || source.closed) return null;
  try {
    const report = await source.getStats();
    return [...report.values()] as StatsEntry[];
  } catch {
    return null; // closed meanwhile (a rebuild, the end of the call)
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
