/**
 * A throwaway PostgreSQL server for tests: `initdb` into a temp dir, `pg_ctl start` on 127.0.0.1
 * with a free port (unix socket in the temp dir too), one database, and `stop()` that stops the
 * server and deletes everything. As root, the server binaries run as the `postgres` user.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './parley-process';

const run = promisify(execFile);

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/<database>` */
  url: string;
  port: number;
  database: string;
  stop(): Promise<void>;
}

/** Directory holding `initdb` and `pg_ctl`: $PG_BIN, then /usr/lib/postgresql/<newest>/bin, then $PATH. */
export function findPostgresBin(): string {
  const candidates: string[] = [];
  if (process.env['PG_BIN']) {
    candidates.push(process.env['PG_BIN']);
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(debian, version, 'bin')));
  }
  candidates.push(...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean));
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL (e.g. postgresql-15) ' +
        'or set PG_BIN to the folder that holds them. Searched: ' +
        candidates.join(', '),
    );
  }
  return found;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startPostgres(database = 'parley_test'): Promise<TestPostgres> {
  const bin = findPostgresBin();
  const asRoot = process.getuid?.() === 0;
  const exec = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  const dataDir = join(dir, 'data');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    if (asRoot) {
      const { uid, gid } = await postgresIds();
      chownSync(dir, uid, gid);
    }
    await exec('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-locale',
    ]);
    const port = await freePort();
    await exec('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      join(dir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
      'start',
    ]);
    const stop = async () => {
      try {
        await exec('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        cleanup();
      }
    };
    try {
      const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${database}"`);
      await admin.end();
    } catch (error) {
      await stop();
      throw error;
    }
    return { url: `postgres://postgres@127.0.0.1:${port}/${database}`, port, database, stop };
  } catch (error) {
    if (existsSync(dir) && !existsSync(join(dataDir, 'postmaster.pid'))) {
      cleanup();
    }
    throw error;
  }
}
