import type { ConnectorContext, ConnectorDefinition, HealthResult } from '@parley/connector-sdk';
import { fakeConnector } from '../testing';
import { CHECK_TIMEOUT_MS, ProviderHealthChecks } from './provider-health';
import { isUsable, openProviderState, type ProviderState } from './provider-state';

describe('ProviderHealthChecks', () => {
  let answer: () => HealthResult | Promise<HealthResult>;
  const check = jest.fn(() => answer());
  const changed = jest.fn();
  const logger = { log: jest.fn(), warn: jest.fn() };
  let health: ProviderHealthChecks;

  const state = (overrides: Partial<ConnectorDefinition> = {}): ProviderState =>
    openProviderState(
      fakeConnector('demo', { check, healthGatesAvailability: true, ...overrides }),
      { kind: 'builtin' },
      { type: 'demo', active: true, settings: '{}', position: 0, updatedAt: '', updatedBy: null },
      (sealed) => sealed,
    );

  beforeEach(() => {
    jest.clearAllMocks();
    answer = () => ({ ok: true, detail: 'fine' });
    health = new ProviderHealthChecks(() => ({}) as ConnectorContext, changed, logger);
  });
  afterEach(() => {
    health.stop();
    jest.useRealTimers();
  });

  it('keeps the result as the health and answers whether usability changed', async () => {
    const demo = state();
    await expect(health.run(demo)).resolves.toBe(false);
    expect(demo.health).toMatchObject({ status: 'ok', reason: 'fine' });
    answer = () => Promise.resolve({ ok: false, reason: 'down' });
    await expect(health.run(demo)).resolves.toBe(true);
    expect(isUsable(demo)).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith('Provider demo failed its health check (down): no call buttons');
    answer = () => {
      throw new Error('boom');
    };
    await expect(health.run(demo)).resolves.toBe(false);
    expect(demo.health).toMatchObject({ status: 'error', reason: 'check failed: boom' });
    answer = () => ({ ok: true });
    await expect(health.run(demo)).resolves.toBe(true);
    expect(logger.log).toHaveBeenCalledWith('Provider demo is healthy again: its call buttons are back');
    expect(demo.checking).toBe(0);
  });

  it('gives a check 5 s, and drops a result the settings or the shutdown overtook', async () => {
    jest.useFakeTimers();
    const demo = state();
    answer = () => new Promise<HealthResult>(() => undefined);
    const late = health.run(demo);
    expect(demo.checking).toBe(1);
    await jest.advanceTimersByTimeAsync(CHECK_TIMEOUT_MS);
    await expect(late).resolves.toBe(true);
    expect(demo.health).toMatchObject({ status: 'error', reason: 'check failed: no answer within 5 s' });

    let resolve: (result: HealthResult) => void = () => undefined;
    answer = () => new Promise<HealthResult>((done) => (resolve = done));
    const overtaken = health.run(demo);
    demo.revision++;
    resolve({ ok: true });
    await expect(overtaken).resolves.toBe(false);
    expect(demo.health.status).toBe('error');

    const stopped = health.run(demo);
    health.stop();
    expect(jest.getTimerCount()).toBe(0);
    resolve({ ok: true });
    await expect(stopped).resolves.toBe(false);
  });

  it('never checks an inactive, unconfigured or check-less provider', async () => {
    const inactive = state();
    inactive.active = false;
    for (const demo of [
      inactive,
      state({ isConfigured: () => 'URL is not set' }),
      state({ check: undefined }),
    ]) {
      await expect(health.run(demo)).resolves.toBe(false);
    }
    expect(check).not.toHaveBeenCalled();
  });

  it('checks the gated providers at start and every interval, one check at a time each, until stopped', async () => {
    jest.useFakeTimers();
    const gatedOne = state();
    const plain = state({ healthGatesAvailability: undefined });
    answer = () => ({ ok: false, reason: 'down' });
    health.start(() => [gatedOne, plain], 2);
    await jest.advanceTimersByTimeAsync(0);
    expect(check).toHaveBeenCalledTimes(1);
    expect(changed).toHaveBeenCalledTimes(1);
    answer = () => new Promise<HealthResult>(() => undefined);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(check).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(2_000); // the slow check still runs: skipped
    expect(check).toHaveBeenCalledTimes(2);
    health.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(check).toHaveBeenCalledTimes(2);
    expect(changed).toHaveBeenCalledTimes(1);
  });
});
