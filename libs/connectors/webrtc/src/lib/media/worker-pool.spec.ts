// The worker pool with real mediasoup workers, loopback only: routers go to the least loaded
// worker, a dead worker is restarted and reported once, closing stops every worker.
import { LOOPBACK_SETTINGS as SETTINGS } from '../testing';
import type { WorkerSlot } from './media-types';
import { WorkerPool } from './worker-pool';

describe('WorkerPool', () => {
  const died: { slot: WorkerSlot; restarted: Promise<void> }[] = [];
  let firstDeath: () => void = () => undefined;
  const death = new Promise<void>((resolve) => (firstDeath = resolve));
  const pool = new WorkerPool({
    workers: 2,
    logLevel: 'warn',
    onWorkerDied: (slot, restarted) => {
      died.push({ slot, restarted });
      firstDeath();
    },
  });

  beforeAll(() => pool.start());
  afterAll(() => pool.close());

  it('places routers on the least loaded worker, with a WebRtcServer on each', async () => {
    expect(pool.workerCount).toBe(2);
    const first = await pool.createRouter(SETTINGS);
    const second = await pool.createRouter(SETTINGS);
    expect(second.slot.index).not.toBe(first.slot.index);
    expect(first.slot.webRtcServer?.closed).toBe(false);
    expect([first.slot.routers, second.slot.routers]).toEqual([1, 1]);
    // A closed router frees its place: the next one goes back there.
    first.router.close();
    expect(first.slot.routers).toBe(0);
    const third = await pool.createRouter(SETTINGS);
    expect(third.slot.index).toBe(first.slot.index);
    second.router.close();
    third.router.close();
  });

  it('probes every worker slot: its pid and what getResourceUsage() answers', async () => {
    const probes = await pool.probe();
    expect(probes.map((probe) => probe.index)).toEqual([0, 1]);
    expect(probes.map((probe) => probe.pid).sort()).toEqual([...pool.pids()].sort());
    for (const probe of probes) {
      expect(probe.problem).toBeUndefined();
      expect(probe.usage?.ru_maxrss).toBeGreaterThan(0);
      expect(probe.usage?.ru_utime).toEqual(expect.any(Number));
    }
  });

  it('restarts a worker that dies and reports it once, with its slot', async () => {
    const { slot, router } = await pool.createRouter(SETTINGS);
    const pid = slot.worker?.pid as number;
    process.kill(pid, 'SIGKILL');
    await death;
    expect(router.closed).toBe(true);
    expect(died).toHaveLength(1);
    expect(died[0].slot).toBe(slot);
    // Until the restart (a new worker process takes a while to start), the probe names the slot.
    const during = (await pool.probe()).find((probe) => probe.index === slot.index);
    expect(during).toMatchObject({ pid: null, usage: null, problem: 'not running (restarting)' });
    await died[0].restarted;
    expect(pool.workerCount).toBe(2);
    expect((await pool.probe()).every((probe) => probe.usage !== null)).toBe(true);
    expect(pool.pids()).not.toContain(pid);
    expect(slot.routers).toBe(0);
  });
});
