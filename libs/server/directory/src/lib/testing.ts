/** Test helpers (not exported from the library's index): a real database, migrations, seed. */
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { startPostgres, type TestPostgres } from '@parley/test-support/postgres';
import { DirectoryModule } from './directory.module';
import type { DirectoryModuleOptions } from './directory.options';
import { DIRECTORY_ENTITIES } from './entities';
import { DIRECTORY_MIGRATIONS } from './migrations';

export type TestDriver = 'sqlite' | 'postgres';

export interface TestDatabase {
  options: DataSourceOptions;
  close(): Promise<void>;
}

/** A fresh SQLite file in a temp dir, or a throwaway PostgreSQL server. */
export async function createTestDatabase(driver: TestDriver): Promise<TestDatabase> {
  const common = {
    entities: DIRECTORY_ENTITIES,
    migrations: DIRECTORY_MIGRATIONS,
    synchronize: false,
  } as const;
  if (driver === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'parley-sqlite-'));
    return {
      options: { type: 'better-sqlite3', database: join(dir, 'test.sqlite'), enableWAL: true, ...common },
      close: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const pg: TestPostgres = await startPostgres();
  return { options: { type: 'postgres', url: pg.url, ...common }, close: () => pg.stop() };
}

export interface TestDirectory {
  module: TestingModule;
  dataSource: DataSource;
  close(): Promise<void>;
}

export const TEST_SESSION_SECRET = 'test-session-secret-test-session-secret';

/** The directory module on a migrated database (seeded unless `seedDemo: false`). */
export async function createTestDirectory(
  database: TestDatabase,
  options: Partial<DirectoryModuleOptions> = {},
): Promise<TestDirectory> {
  const module = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({ ...database.options, migrationsRun: true }),
      DirectoryModule.forRoot({ sessionSecret: TEST_SESSION_SECRET, seedDemo: true, ...options }),
    ],
  }).compile();
  await module.init();
  const dataSource = module.get(DataSource);
  return { module, dataSource, close: () => module.close() };
}
