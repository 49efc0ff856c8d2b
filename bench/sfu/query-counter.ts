/**
 * Preloaded into the server by the SFU bench (`node --import bench/sfu/query-counter.ts main.js`):
 * counts every SQL statement TypeORM runs (BetterSqlite3QueryRunner.query, the path of all queries
 * on SQLite) and answers `{ type: 'queries' }` over the IPC channel with the count and the last
 * statements. No product code involved.
 */
import { createRequire } from 'node:module';

interface QueryRunnerModule {
  BetterSqlite3QueryRunner: { prototype: { query: (this: unknown, ...args: unknown[]) => Promise<unknown> } };
}

const require = createRequire(import.meta.url);
const runner = (require('typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner') as QueryRunnerModule)
  .BetterSqlite3QueryRunner;
const original = runner.prototype.query;
let count = 0;
const recent: string[] = [];
runner.prototype.query = function (this: unknown, ...args: unknown[]) {
  count++;
  recent.push(String(args[0]).slice(0, 120));
  if (recent.length > 20) recent.shift();
  return original.apply(this, args);
};

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'queries') process.send?.({ type: 'queries', count, recent: [...recent] });
});
