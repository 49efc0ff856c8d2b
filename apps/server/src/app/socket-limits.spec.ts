/**
 * SocketLimits as two cluster nodes see them, over a real redis-server: a user's budgets are
 * shared by the nodes, a tab's stay on its node, and while Redis is away each node keeps counting
 * in its own memory instead of waiting. One node (no Redis) counts in memory.
 */
import { startRedis, type TestRedis } from '@parley/test-support/redis';
import { Redis } from 'ioredis';
import type { AppConfig } from './config';
import { SocketLimits } from './socket-limits';

const SETTINGS: AppConfig['socketLimits'] = {
  socket: { points: 3, seconds: 60 },
  user: { points: 100, seconds: 60 },
  chat: { points: 5, seconds: 60 },
  reactions: null,
};

/** How many of `count` checks pass. */
async function passes(count: number, check: () => Promise<unknown>): Promise<number> {
  let passed = 0;
  for (let i = 0; i < count; i++) if ((await check()) === null) passed++;
  return passed;
}

describe('SocketLimits', () => {
  it('counts in memory on one node: per tab, and per user for room.send', async () => {
    const limits = SocketLimits.create(SETTINGS);
    expect(await passes(5, () => limits.checkSocket('tab-1'))).toBe(3);
    expect(await limits.checkSocket('tab-2')).toBeNull();
    expect(await limits.checkSocket('tab-1')).toMatchObject({
      limit: 'socket',
      message: expect.stringMatching(/^Too many requests from this tab: try again in \d+ s$/),
      retryAfterMs: expect.any(Number),
    });
    expect(await passes(8, () => limits.checkUser('u1', 'room.send'))).toBe(5);
    expect(await limits.checkUser('u1', 'room.send')).toMatchObject({ limit: 'room.send' });
    // Other requests of that user, and other users, have their own budgets; reactions are off.
    expect(await limits.checkUser('u1', 'session.whoami')).toBeNull();
    expect(await limits.checkUser('u2', 'room.send')).toBeNull();
    expect(await passes(50, () => limits.checkUser('u3', 'call.reaction'))).toBe(50);
    expect(await SocketLimits.none().checkSocket('tab-1')).toBeNull();
  });

  describe('in cluster mode (real Redis)', () => {
    let redis: TestRedis;
    const clients: Redis[] = [];
    // As the cluster's commands client: connected at start-up, reconnects for ever, queues
    // while Redis is away.
    const connect = async () => {
      const client = new Redis(redis.url, {
        lazyConnect: true,
        maxRetriesPerRequest: null,
        retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      });
      client.on('error', () => undefined);
      clients.push(client);
      await client.connect();
      return client;
    };

    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      clients.forEach((client) => client.disconnect());
      await redis?.stop();
    });

    it("shares a user's budgets between nodes, keeps a tab's on its node, and counts locally while Redis is away", async () => {
      const nodeA = SocketLimits.create(SETTINGS, await connect());
      const nodeB = SocketLimits.create(SETTINGS, await connect());
      expect(await passes(3, () => nodeA.checkUser('alice', 'room.send'))).toBe(3);
      expect(await passes(4, () => nodeB.checkUser('alice', 'room.send'))).toBe(2);
      expect(await nodeA.checkUser('alice', 'room.send')).toMatchObject({ limit: 'room.send' });
      const keys = await clients[0].keys('parley:limit:*');
      expect(keys.sort()).toEqual(['parley:limit:room.send:alice', 'parley:limit:user:alice']);

      expect(await passes(3, () => nodeA.checkSocket('tab-1'))).toBe(3);
      expect(await nodeB.checkSocket('tab-1')).toBeNull();

      await redis.stop();
      // Not waiting for Redis: the node's memory counts (its own budget, from zero).
      const during = await Promise.race([
        passes(7, () => nodeA.checkUser('bob', 'room.send')),
        new Promise((resolve) => setTimeout(() => resolve('waited for Redis'), 5_000)),
      ]);
      expect(during).toBe(5);
    });
  });
});
