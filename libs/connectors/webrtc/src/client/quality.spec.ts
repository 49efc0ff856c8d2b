import { QualityMonitor, type QualityUpdate } from './quality-monitor';
import { classify, combine, inboundMetrics, NO_METRICS, uplinkMetrics } from './quality';

const at = (timestamp: number, packetsReceived: number, packetsLost: number, bytesReceived = 0) => ({
  packetsReceived,
  packetsLost,
  bytesReceived,
  jitter: 0.005,
  timestamp,
});

describe('classify', () => {
  it.each([
    [{ lossPct: 0, rttMs: 50, jitterMs: 5 }, 'good'],
    [{ lossPct: 2, rttMs: 200, jitterMs: 30 }, 'good'], // the lines themselves are still fine
    [{ lossPct: 2.5, rttMs: 50, jitterMs: 5 }, 'fair'],
    [{ lossPct: 0, rttMs: 250, jitterMs: 5 }, 'fair'],
    [{ lossPct: 0, rttMs: 50, jitterMs: 40 }, 'fair'],
    [{ lossPct: 9, rttMs: 50, jitterMs: 5 }, 'poor'],
    [{ lossPct: 0, rttMs: 450, jitterMs: 5 }, 'poor'],
    [{ lossPct: 3, rttMs: 50, jitterMs: 150 }, 'poor'],
  ])('%j is %s', (metrics, level) => {
    expect(classify({ ...metrics, bitrateKbps: 100 })).toBe(level);
  });

  it('treats what is not measured as fine', () => {
    expect(classify(NO_METRICS)).toBe('good');
  });
});

describe('inboundMetrics', () => {
  it('computes loss from the deltas, not the totals', () => {
    // 1000 lost long ago; this window: 70 received, 30 lost, 50 kB in 2 s.
    const metrics = inboundMetrics(at(1000, 5000, 1000, 100_000), at(3000, 5070, 1030, 150_000));
    expect(metrics.lossPct).toBeCloseTo(30);
    expect(metrics.bitrateKbps).toBeCloseTo(200);
    expect(metrics.jitterMs).toBeCloseTo(5);
  });

  it('knows only jitter on the first sample or after a counter reset', () => {
    expect(inboundMetrics(undefined, at(1000, 10, 0))).toEqual({ ...NO_METRICS, jitterMs: 5 });
    expect(inboundMetrics(at(1000, 500, 0), at(3000, 10, 0)).lossPct).toBeNull();
  });

  it('says nothing about loss when no packet was due', () => {
    expect(inboundMetrics(at(1000, 10, 2), at(3000, 10, 2)).lossPct).toBeNull();
  });
});

describe('combine', () => {
  it('keeps the worst stream and sums the bitrates', () => {
    const audio = { lossPct: 30, rttMs: null, jitterMs: 10, bitrateKbps: 40 };
    const video = { lossPct: 1, rttMs: null, jitterMs: 20, bitrateKbps: 500 };
    expect(combine([audio, video])).toEqual({ lossPct: 30, rttMs: null, jitterMs: 20, bitrateKbps: 540 });
    expect(combine([])).toEqual(NO_METRICS);
  });
});

describe('uplinkMetrics', () => {
  const report = [
    { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
    { id: 'P', type: 'candidate-pair', currentRoundTripTime: 0.45, localCandidateId: 'L' },
    { id: 'L', type: 'local-candidate', candidateType: 'relay' },
    { id: 'R1', type: 'remote-inbound-rtp', fractionLost: 0.01, roundTripTime: 0.1 },
    { id: 'R2', type: 'remote-inbound-rtp', fractionLost: 0.12, roundTripTime: 0.2 },
  ];

  it('takes the worst receiver report and the selected pair', () => {
    const metrics = uplinkMetrics(report);
    expect(metrics.lossPct).toBeCloseTo(12);
    expect(metrics.rttMs).toBeCloseTo(450);
    expect(metrics.candidateType).toBe('relay');
    expect(classify(metrics)).toBe('poor');
  });

  it('falls back to the receiver reports round trip and the nominated pair', () => {
    const metrics = uplinkMetrics([
      { id: 'P', type: 'candidate-pair', nominated: true, state: 'succeeded', localCandidateId: 'L' },
      { id: 'L', type: 'local-candidate', candidateType: 'host' },
      { id: 'R1', type: 'remote-inbound-rtp', fractionLost: 0, roundTripTime: 0.25 },
    ]);
    expect(metrics).toMatchObject({ lossPct: 0, rttMs: 250, candidateType: 'host' });
    expect(classify(metrics)).toBe('fair');
  });

  it('is empty before anything is connected', () => {
    expect(uplinkMetrics([])).toEqual({ ...NO_METRICS, candidateType: null });
  });
});

describe('QualityMonitor', () => {
  function source(id: string, reports: Record<string, unknown>[][]) {
    let round = 0;
    return {
      id,
      closed: false,
      getStats: jest.fn(async () => {
        const entries = reports[Math.min(round++, reports.length - 1)];
        return new Map(entries.map((e) => [String(e['id']), e])) as unknown as RTCStatsReport;
      }),
    };
  }
  const inbound = (id: string, track: string, timestamp: number, received: number, lost: number) => ({
    id,
    type: 'inbound-rtp',
    trackIdentifier: track,
    packetsReceived: received,
    packetsLost: lost,
    bytesReceived: received * 100,
    jitter: 0.002,
    timestamp,
  });
  const pair = [
    { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
    { id: 'P', type: 'candidate-pair', currentRoundTripTime: 0.01, localCandidateId: 'L' },
    { id: 'L', type: 'local-candidate', candidateType: 'host' },
  ];

  it('rates each participant by their own streams and reports only changes', async () => {
    const recv = source('recv', [
      [...pair, inbound('a1', 'track-a', 0, 100, 0), inbound('b1', 'track-b', 0, 100, 0)],
      [...pair, inbound('a1', 'track-a', 2000, 200, 0), inbound('b1', 'track-b', 2000, 170, 30)],
      [...pair, inbound('a1', 'track-a', 4000, 300, 0), inbound('b1', 'track-b', 4000, 270, 30)],
      [...pair, inbound('a1', 'track-a', 6000, 400, 0), inbound('b1', 'track-b', 6000, 370, 30)],
    ]);
    const send = source('send', [[...pair, { id: 'R', type: 'remote-inbound-rtp', fractionLost: 0.3 }]]);
    const users: Record<string, string> = { 'track-a': 'alice', 'track-b': 'bob' };
    const updates: QualityUpdate[] = [];
    const monitor = new QualityMonitor(
      { sender: () => send, receiver: () => recv, userOfTrack: (t) => users[t] ?? null },
      (u) => updates.push(u),
    );
    for (let i = 0; i < 4; i++) await monitor.sample();
    expect(updates.map((u) => Object.fromEntries(u.participants))).toEqual([
      { alice: 'good', bob: 'good' },
      { alice: 'good', bob: 'poor' },
      { alice: 'good', bob: 'good' },
    ]);
    expect(updates[0]?.uplink).toBe('poor');
    expect(Object.fromEntries(updates[0]?.candidates ?? [])).toEqual({ send: 'host', recv: 'host' });
  });

  it('skips a closed transport and a failing getStats', async () => {
    const recv = {
      id: 'recv',
      closed: false,
      getStats: jest.fn(async () => Promise.reject(new Error('closed'))),
    };
    const updates: QualityUpdate[] = [];
    const monitor = new QualityMonitor(
      { sender: () => null, receiver: () => recv, userOfTrack: () => null },
      (u) => updates.push(u),
    );
    await monitor.sample();
    expect(updates).toEqual([{ uplink: null, participants: new Map(), candidates: new Map() }]);
  });
});
