import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';

/** The PostgreSQL advisory lock key of Parley's start-up (any constant: it only has to be Parley's). */
export const STARTUP_LOCK_KEY = 0x7061726c; // 'parl'

/** The lock each data source holds until its application has started. */
const held = new WeakMap<DataSource, QueryRunner>();

/**
 * PostgreSQL (several nodes may start at once): the schema migrations and the first start's seed
 * run under one advisory lock (`pg_advisory_lock`, held on a connection of its own), so nodes
 * starting together take turns instead of racing to create the same tables and demo users. The
 * lock is released once the application has bootstrapped ({@link StartupLock}); a node that dies
 * meanwhile loses its connection and so its lock.
 */
export async function lockedDataSource(options: DataSourceOptions): Promise<DataSource> {
  const logger = new Logger('Database');
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  try {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const started = Date.now();
    await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    const waited = Date.now() - started;
    if (waited > 1_000) logger.log(`Waited ${waited} ms for another node's start-up`);
    held.set(dataSource, runner);
    const ran = await dataSource.runMigrations({ transaction: 'all' });
    if (ran.length > 0) logger.log(`Ran ${ran.length} migration(s)`);
    return dataSource;
  } catch (error) {
    // A retry (TypeORM's retryAttempts) starts over with a new data source: close this one.
    held.delete(dataSource);
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}

/**
 * Releases the start-up lock. In the root module, whose bootstrap hook runs after every imported
 * module's (the seed's among them).
 */
@Injectable()
export class StartupLock implements OnApplicationBootstrap {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    const runner = held.get(this.dataSource);
    if (!runner) return;
    held.delete(this.dataSource);
    await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]);
    await runner.release();
  }
}
