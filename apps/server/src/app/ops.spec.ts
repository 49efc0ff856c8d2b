/**
 * Metrics and health against the real app with a real mediasoup worker: `/metrics` behind its
 * token, parsed as Prometheus would read it, moving with a call; readiness going 503 naming the
 * worker that was killed and back to 200 once the worker pool restarted it. Waits on events and
 * bounded polling only.
 */
import type { CallInfo } from '@parley/protocol';
import { API } from '@parley/protocol';
import { MediasoupService } from '@parley/connector-webrtc';
import * as mediasoup from 'mediasoup';
import { parsePrometheusText, sampleValue } from './ops/testing';
import { signInAll, startTestApp, useLoopbackSfu, type TestApp, until } from './testing';

const TOKEN = 'metrics-token-0123456789abcdef';

interface Readiness {
  status: string;
  info: Record<string, { status: string }>;
  error: Record<string, { status: string; message?: string }>;
}

describe('metrics and health (integration)', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  const id: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN });
    await signInAll(t, ['alice', 'bob'], token, id);
    await useLoopbackSfu(t, token.alice);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  async function scrape(authorization = `Bearer ${TOKEN}`) {
    const response = await fetch(`${t.base}/metrics`, { headers: { authorization } });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  }

  async function metrics() {
    const { status, text } = await scrape();
    expect(status).toBe(200);
    return parsePrometheusText(text);
  }

  async function readiness(): Promise<{ status: number; body: Readiness }> {
    return t.rest<Readiness>('/api/health/ready');
  }

  it('answers /metrics only with the token, in the Prometheus text format', async () => {
    expect((await fetch(`${t.base}/metrics`)).status).toBe(401);
    expect((await scrape('Bearer wrong-token-0123456789abcdef')).status).toBe(401);
    expect((await scrape(TOKEN)).status).toBe(401);
    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusText(text);
    expect(families.get('parley_process_resident_memory_bytes')?.type).toBe('gauge');
    expect(families.get('parley_process_open_fds')?.type).toBe('gauge');
    expect(families.get('parley_nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(families.get('parley_process_cpu_seconds_total')?.type).toBe('counter');
    expect(sampleValue(families, 'parley_recordings_active')).toBe(0);
    expect(sampleValue(families, 'parley_call_participants')).toBe(0);
    // The worker of the test app (MEDIASOUP_WORKERS=1), read from getResourceUsage().
    expect(sampleValue(families, 'parley_mediasoup_worker_rss_bytes', { worker: '0' })).toBeGreaterThan(0);
    expect(sampleValue(families, 'parley_mediasoup_worker_cpu_seconds_total', { worker: '0' })).toEqual(
      expect.any(Number),
    );
    expect(sampleValue(families, 'parley_mediasoup_producers', { kind: 'audio' })).toBe(0);
  });

  it('counts a call in parley_calls_live from its start to its end, with sockets and replies', async () => {
    const alice = await t.tab(token.alice);
    const bob = await t.tab(token.bob);
    const live = { provider: 'webrtc', kind: 'one-to-one' };
    const before = await metrics();
    expect(sampleValue(before, 'parley_calls_live', live) ?? 0).toBe(0);
    expect(sampleValue(before, 'parley_sockets_connected')).toBe(2);

    const incoming = bob.next('call.incoming');
    const call: CallInfo = await alice.ok('call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: id.bob },
    });
    await incoming;
    expect(sampleValue(await metrics(), 'parley_calls_live', live)).toBe(1);

    await bob.ok('call.answer', { callId: call.id });
    expect(sampleValue(await metrics(), 'parley_call_participants')).toBe(1);
    await alice.ok('call.join', { callId: call.id });
    const answered = await metrics();
    expect(sampleValue(answered, 'parley_calls_live', live)).toBe(1);
    expect(sampleValue(answered, 'parley_call_participants')).toBe(2);
    expect(
      sampleValue(answered, 'parley_socket_messages_total', { event: 'call.start', outcome: 'ok' }),
    ).toBe(1);
    expect(
      sampleValue(answered, 'parley_socket_messages_total', { event: 'call.answer', outcome: 'ok' }),
    ).toBe(1);

    // A refused request is counted under its error code.
    const refused = await bob.request('call.answer', { callId: 'no-such-call' });
    expect(refused.ok).toBe(false);
    const code = refused.ok ? '' : refused.error.code;

    const ended = bob.next('call.ended');
    await alice.ok('call.hangup', { callId: call.id });
    await ended;
    const after = await metrics();
    expect(sampleValue(after, 'parley_calls_live', live)).toBe(0);
    expect(sampleValue(after, 'parley_call_participants')).toBe(0);
    expect(sampleValue(after, 'parley_socket_messages_total', { event: 'call.answer', outcome: code })).toBe(
      1,
    );
    alice.close();
    bob.close();
  });

  it('is live, and ready until a mediasoup worker dies, then ready again once it is restarted', async () => {
    expect(await t.rest('/api/health/live')).toMatchObject({
      status: 200,
      body: { status: 'ok', info: { process: { status: 'up' } } },
    });
    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({
      database: { status: 'up' },
      'mediasoup-worker-0': { status: 'up' },
      ffmpeg: { status: 'up' },
    });
    // The original summary keeps its shape.
    expect(await t.rest(API.health)).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { database: { status: 'up' } } },
    });

    // Hold the pool's restart until the 503 was seen (the spy only delays mediasoup's own createWorker).
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const realCreateWorker = mediasoup.createWorker;
    const restarts = jest.spyOn(mediasoup, 'createWorker').mockImplementation(async (...args) => {
      await released;
      return realCreateWorker(...args);
    });
    const media = t.app.get(MediasoupService);
    const [pid] = media.workerPids();
    process.kill(pid, 'SIGKILL');

    const down = await until('readiness 503', async () => {
      const answer = await readiness();
      return answer.status === 503 ? answer : undefined;
    });
    expect(down.body.status).toBe('error');
    expect(Object.keys(down.body.error)).toEqual(['mediasoup-worker-0']);
    expect(down.body.error['mediasoup-worker-0']).toMatchObject({
      status: 'down',
      message: 'not running (restarting)',
    });
    expect(down.body.info).toMatchObject({ database: { status: 'up' }, ffmpeg: { status: 'up' } });
    // Metrics have no sample for a dead worker.
    expect(
      sampleValue(await metrics(), 'parley_mediasoup_worker_rss_bytes', { worker: '0' }),
    ).toBeUndefined();

    release();
    const up = await until('readiness 200', async () => {
      const answer = await readiness();
      return answer.status === 200 ? answer : undefined;
    });
    expect(restarts).toHaveBeenCalledTimes(1);
    expect(up.body.info['mediasoup-worker-0']).toMatchObject({ status: 'up' });
    expect(media.workerPids()).not.toContain(pid);
    restarts.mockRestore();
  });
});
