/**
 * The start-up lock with a real PostgreSQL: a second node starting while the first one still
 * starts waits for it (migrations and seed never race), then finds the schema done.
 */
import { startPostgres, type TestPostgres } from '@parley/test-support/postgres';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { databaseOptions } from './app.module';
import { loadConfig } from './config';
import { lockedDataSource, StartupLock } from './startup-lock';

jest.setTimeout(120_000);

describe('start-up lock (PostgreSQL)', () => {
  let pg: TestPostgres | undefined;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    pg = await startPostgres('parley_startup_lock');
  });

  afterAll(async () => {
    await Promise.allSettled(opened.map((dataSource) => dataSource.destroy()));
    await pg?.stop();
  });

  it('lets one node migrate at a time and releases the lock once it has started', async () => {
    const config = loadConfig({ DATABASE_URL: pg!.url, NODE_ENV: 'test' });
    const options = databaseOptions(config) as DataSourceOptions;
    const first = await lockedDataSource(options);
    opened.push(first);
    const migrated = await first.query(`SELECT count(*)::int AS n FROM migrations`);
    expect(migrated[0].n).toBeGreaterThan(0);

    let secondReady = false;
    const second = lockedDataSource(options).then((dataSource) => {
      secondReady = true;
      opened.push(dataSource);
      return dataSource;
    });
    // The second one is queued on the lock (seen in pg_locks), not done.
    const waiting = async () =>
      (
        await first.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
        )
      )[0].n as number;
    while ((await waiting()) === 0) await new Promise((r) => setImmediate(r));
    expect(secondReady).toBe(false);

    await new StartupLock(first).onApplicationBootstrap();
    const dataSource = await second;
    expect(secondReady).toBe(true);
    // Nothing left to run for the second node, and its own release works too.
    expect(await dataSource.showMigrations()).toBe(false);
    await new StartupLock(dataSource).onApplicationBootstrap();
    expect(await waiting()).toBe(0);
  });
});
