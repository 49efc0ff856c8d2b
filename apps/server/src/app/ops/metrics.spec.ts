// ParleyMetrics over fake sources, read back through the strict text-format parser the
// integration specs use: names, types, labels and values as a Prometheus server sees them.
import { type CallLoad, type MetricsSources, ParleyMetrics, replyOutcome, type WorkerLoad } from './metrics';
import { parsePrometheusText, sampleValue } from './testing';

describe('ParleyMetrics', () => {
  let calls: CallLoad[];
  let workers: WorkerLoad[];
  let probes: number;
  const sources: MetricsSources = {
    sockets: () => 3,
    calls: () => calls,
    recordingsActive: () => 1,
    media: () => ({ producers: { audio: 2, video: 1 }, consumers: { audio: 4 } }),
    workers: async () => {
      probes++;
      return workers;
    },
  };

  beforeEach(() => {
    calls = [];
    workers = [];
    probes = 0;
  });

  const scrape = async (metrics: ParleyMetrics) => parsePrometheusText((await metrics.render()).body);

  it('exposes the default process metrics and every Parley gauge, read at scrape time', async () => {
    const metrics = new ParleyMetrics(sources);
    calls = [
      { provider: 'webrtc', kind: 'one-to-one', participants: 2 },
      { provider: 'webrtc', kind: 'group', participants: 3 },
      { provider: 'webrtc', kind: 'group', participants: 1 },
    ];
    workers = [
      { worker: '0', cpuSeconds: 1.5, maxRssBytes: 50_000_000 },
      { worker: '1', cpuSeconds: 0.25, maxRssBytes: 40_000_000 },
    ];
    const { contentType, body } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusText(body);
    for (const [name, type] of [
      ['parley_process_cpu_seconds_total', 'counter'],
      ['parley_process_resident_memory_bytes', 'gauge'],
      ['parley_process_open_fds', 'gauge'],
      ['parley_nodejs_eventloop_lag_seconds', 'gauge'],
      ['parley_sockets_connected', 'gauge'],
      ['parley_calls_live', 'gauge'],
      ['parley_call_participants', 'gauge'],
      ['parley_recordings_active', 'gauge'],
      ['parley_mediasoup_producers', 'gauge'],
      ['parley_mediasoup_consumers', 'gauge'],
      ['parley_mediasoup_worker_cpu_seconds_total', 'counter'],
      ['parley_mediasoup_worker_rss_bytes', 'gauge'],
      ['parley_socket_messages_total', 'counter'],
    ]) {
      expect({ name, type: families.get(name)?.type }).toEqual({ name, type });
      expect(families.get(name)?.help).toEqual(expect.any(String));
    }
    expect(sampleValue(families, 'parley_sockets_connected')).toBe(3);
    expect(sampleValue(families, 'parley_calls_live', { provider: 'webrtc', kind: 'group' })).toBe(2);
    expect(sampleValue(families, 'parley_calls_live', { provider: 'webrtc', kind: 'one-to-one' })).toBe(1);
    expect(sampleValue(families, 'parley_call_participants')).toBe(6);
    expect(sampleValue(families, 'parley_recordings_active')).toBe(1);
    expect(sampleValue(families, 'parley_mediasoup_producers', { kind: 'video' })).toBe(1);
    expect(sampleValue(families, 'parley_mediasoup_consumers', { kind: 'video' })).toBe(0);
    expect(sampleValue(families, 'parley_mediasoup_consumers', { kind: 'audio' })).toBe(4);
    expect(sampleValue(families, 'parley_mediasoup_worker_cpu_seconds_total', { worker: '0' })).toBe(1.5);
    expect(sampleValue(families, 'parley_mediasoup_worker_rss_bytes', { worker: '1' })).toBe(40_000_000);
    // One probe of the workers serves both worker metrics.
    expect(probes).toBe(1);
  });

  it('keeps a provider/kind at 0 once its calls end, and drops a dead worker until it is back', async () => {
    const metrics = new ParleyMetrics(sources);
    calls = [{ provider: 'jitsi', kind: 'group', participants: 4 }];
    workers = [{ worker: '0', cpuSeconds: 9, maxRssBytes: 1 }];
    await scrape(metrics);
    calls = [];
    workers = [];
    const families = await scrape(metrics);
    expect(sampleValue(families, 'parley_calls_live', { provider: 'jitsi', kind: 'group' })).toBe(0);
    expect(sampleValue(families, 'parley_call_participants')).toBe(0);
    expect(families.get('parley_mediasoup_worker_cpu_seconds_total')?.samples).toEqual([]);
    expect(families.get('parley_mediasoup_worker_rss_bytes')?.samples).toEqual([]);
  });

  it('counts socket replies by event and outcome', async () => {
    const metrics = new ParleyMetrics(sources);
    metrics.socketReply('call.start', { ok: true, data: {} });
    metrics.socketReply('call.start', { ok: true, data: {} });
    metrics.socketReply('call.start', { ok: false, error: { code: 'forbidden', message: 'no' } });
    metrics.socketReply('room.send', undefined);
    const families = await scrape(metrics);
    const count = (event: string, outcome: string) =>
      sampleValue(families, 'parley_socket_messages_total', { event, outcome });
    expect(count('call.start', 'ok')).toBe(2);
    expect(count('call.start', 'forbidden')).toBe(1);
    expect(count('room.send', 'no_reply')).toBe(1);
  });

  it('has no media metrics without the WebRTC connector', async () => {
    const metrics = new ParleyMetrics({ sockets: () => 0, calls: () => [], recordingsActive: () => 0 });
    const names = [...(await scrape(metrics)).keys()];
    expect(names.filter((name) => name.startsWith('parley_mediasoup_'))).toEqual([]);
    expect(names).toContain('parley_calls_live');
  });

  it('turns a reply into a bounded outcome label', () => {
    expect(replyOutcome({ ok: true, data: null })).toBe('ok');
    expect(replyOutcome({ ok: false, error: { code: 'not_found' } })).toBe('not_found');
    expect(replyOutcome({ ok: false, error: { code: 'Weird Code!' } })).toBe('error');
    expect(replyOutcome({ something: 'else' })).toBe('error');
    expect(replyOutcome(null)).toBe('no_reply');
  });
});

describe('parsePrometheusText (strict)', () => {
  it('reads families, labels with escapes, and special values', () => {
    const families = parsePrometheusText(
      [
        '# HELP a_total Things.',
        '# TYPE a_total counter',
        'a_total{x="q\\"uo\\\\te",y="line\\nbreak"} 3',
        '# TYPE h histogram',
        'h_bucket{le="1"} 1',
        'h_bucket{le="+Inf"} 2',
        'h_sum 1.5e0',
        'h_count 2',
        'plain NaN',
        '',
      ].join('\n'),
    );
    expect(families.get('a_total')?.samples[0].labels).toEqual({ x: 'q"uo\\te', y: 'line\nbreak' });
    expect(families.get('h')?.samples.map((s) => s.name)).toEqual([
      'h_bucket',
      'h_bucket',
      'h_sum',
      'h_count',
    ]);
    expect(sampleValue(families, 'h_bucket', { le: '+Inf' })).toBe(2);
    expect(families.get('plain')?.type).toBe('untyped');
  });

  it.each([
    ['no final newline', 'a 1'],
    ['a bad value', 'a one\n'],
    ['a bad label list', 'a{x=1} 1\n'],
    ['a repeated series', 'a{x="1"} 1\na{x="1"} 2\n'],
    ['a family split in two', 'a 1\nb 1\na{x="2"} 1\n'],
    ['TYPE after samples', 'a 1\n# TYPE a gauge\n'],
    ['an unknown type', '# TYPE a meter\n'],
    ['a bucket without le', '# TYPE h histogram\nh_bucket 1\n'],
    ['a bad metric name', '1a 1\n'],
  ])('rejects %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
