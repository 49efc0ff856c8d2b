/**
 * Load tool (issue #18): real WebRTC clients in Node against the real built server.
 *
 *   npx nx run server:build && node bench/load/run.ts --quick
 *   node bench/load/run.ts --clients 50 --duration 30          # one join storm
 *   node bench/load/run.ts --scenario sockets --sockets 1000   # idle sockets + ring latency
 *
 * Runs itself inside the private network namespace (`tools/netns.sh`) so no packet leaves the
 * machine. Per run it starts `dist/server` on a free port with a throwaway data folder (one
 * mediasoup worker by default, portal tokens and metrics on), creates N distinct users through
 * `POST /api/auth/portal-token`, puts them in one room, and forks `--procs` client processes
 * (`client.ts`). Bounded: every run has a deadline, the whole tool a watchdog; it stops by itself.
 *
 * Scenarios:
 * - storm: N clients join the room's call (`call.room.join`) spread evenly over `--storm` seconds;
 *   each publishes Opus-shaped synthetic RTP through DTLS-SRTP (werift) and consumes every other
 *   participant's audio; they stay `--duration` seconds after the last join, then leave.
 * - sockets: `--sockets` signed-in idle sockets, then `--calls` one-to-one calls among them:
 *   `call.start` -> `call.incoming` on the callee's socket (then `call.cancel`).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParleyProcess } from '../../test/support/parley-process.ts';
import type { ChildMessage, ClientResult, LoadUser, ParentMessage } from './protocol.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const STARTED = Date.now();

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string', default: 'storm' },
    clients: { type: 'string', default: '50' },
    duration: { type: 'string', default: '20' },
    storm: { type: 'string', default: '10' },
    procs: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1' },
    sockets: { type: 'string', default: '1000' },
    calls: { type: 'string', default: '50' },
  },
});

function intFlag(name: keyof typeof flags, min: number, max: number): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`--${name} must be an integer from ${min} to ${max}`);
    process.exit(2);
  }
  return value;
}

const STORM_S = intFlag('storm', 1, 30);
const DURATION_S = flags.quick ? 5 : intFlag('duration', 1, 60);
const PROCS = intFlag('procs', 1, 8);
const WORKERS = intFlag('workers', 1, 8);

// ---- helpers -------------------------------------------------------------------------------

/** Nearest-rank percentile of an ascending array (as bench/support/parley.ts; not imported from there: it loads the server launcher). */
function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

const PORTAL_SECRET = randomBytes(24).toString('hex');
const METRICS_TOKEN = randomBytes(16).toString('hex');

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** An HS256 portal token (docs/integration.md), valid for 5 minutes. */
function portalToken(sub: string, name: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const exp = Math.floor(Date.now() / 1000) + 300;
  const body = b64url(JSON.stringify({ sub, name, preferred_username: sub, exp }));
  const signature = createHmac('sha256', PORTAL_SECRET).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

function fmtMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function fmtBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes.toFixed(0)} B`;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

const tty = process.stdout.isTTY;
let lastProgress = 0;
function progress(line: string): void {
  if (tty) {
    process.stdout.write(`\r${line.padEnd(100)}`);
  } else if (Date.now() - lastProgress >= 2000) {
    lastProgress = Date.now();
    console.log(line);
  }
}
function endProgress(): void {
  if (tty) process.stdout.write('\n');
}

interface ServerMetrics {
  processCpu: number;
  workerCpu: number;
  rssMb: number;
  workerRssMb: number;
}

async function metrics(server: ParleyProcess): Promise<ServerMetrics> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!res.ok) throw new Error(`/metrics: HTTP ${res.status}`);
  const text = await res.text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{'))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  const workerRss = sum('parley_mediasoup_worker_max_rss_bytes') || sum('parley_mediasoup_worker_rss_bytes');
  return {
    processCpu: sum('parley_process_cpu_seconds_total'),
    workerCpu: sum('parley_mediasoup_worker_cpu_seconds_total'),
    rssMb: sum('parley_process_resident_memory_bytes') / 1e6,
    workerRssMb: workerRss / 1e6,
  };
}

interface Server {
  parley: ParleyProcess;
  log: string;
  stop(): Promise<void>;
}

async function startServer(maxParticipants: number): Promise<Server> {
  const log = join(tmpdir(), `parley-load-${process.pid}-${Date.now()}.log`);
  const fd = openSync(log, 'w');
  // Imported here: the outer process (which only enters the namespace) does not need it.
  const { launchParley } = await import('../../test/support/parley-process.ts');
  const parley = await launchParley({
    root: ROOT,
    tmpPrefix: 'parley-load-',
    stdio: ['ignore', fd, fd],
    env: {
      PORTAL_TOKEN_SECRET: PORTAL_SECRET,
      METRICS_TOKEN,
      MEDIASOUP_WORKERS: String(WORKERS),
      CALL_MAX_PARTICIPANTS: String(Math.min(1000, Math.max(50, maxParticipants))),
      DEFAULT_STUN_URL: 'none',
    },
  });
  closeSync(fd);
  // Media on loopback with an ephemeral port, as the integration specs do (alice is a demo admin).
  const login = await fetch(`${parley.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'parley' }),
  });
  const { token } = (await login.json()) as { token: string };
  const put = await fetch(`${parley.url}/api/admin/providers/webrtc`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      settings: { listenIp: '127.0.0.1', announcedAddress: '', rtcPort: 0, maxBitrate: 1_500_000 },
    }),
  });
  if (!put.ok) throw new Error(`provider settings: HTTP ${put.status} ${await put.text()}`);
  return { parley, log, stop: () => parley.stop() };
}

/** N distinct users signed in through the portal token (created on first sign-in). */
async function createUsers(server: Server, count: number, prefix: string): Promise<LoadUser[]> {
  const users: LoadUser[] = new Array<LoadUser>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const i = next++;
        const sub = `${prefix}-${String(i).padStart(4, '0')}`;
        const res = await fetch(`${server.parley.url}/api/auth/portal-token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: portalToken(sub, `Load ${prefix} ${i}`) }),
        });
        if (!res.ok) throw new Error(`portal-token ${sub}: HTTP ${res.status} ${await res.text()}`);
        const session = (await res.json()) as { token: string; user: { id: string } };
        users[i] = { id: session.user.id, token: session.token };
      }
    }),
  );
  return users;
}

interface SqliteDatabase {
  pragma(source: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown };
  transaction(fn: () => void): () => void;
  close(): void;
}

/**
 * A chat room with these members. The directory has no REST route that creates rooms (the seed
 * and direct messages do), so the bench writes the two tables into the server's own throwaway
 * SQLite file (WAL: the running server sees them at once; it reads members from the database).
 */
function createRoom(server: Server, name: string, memberIds: string[]): string {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as new (path: string) => SqliteDatabase;
  const db = new Database(join(server.parley.dataDir, 'parley.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    const id = randomUUID();
    const insertRoom = db.prepare(
      'INSERT INTO rooms (id, kind, name, title, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const insertMember = db.prepare('INSERT INTO room_members (room_id, user_id) VALUES (?, ?)');
    db.transaction(() => {
      insertRoom.run(id, 'chat', name, `Load ${name}`, new Date().toISOString());
      for (const userId of memberIds) insertMember.run(id, userId);
    })();
    return id;
  } finally {
    db.close();
  }
}

function forkClients(count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    fork(join(import.meta.dirname, 'client.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
}

function stopClients(children: ChildProcess[]): void {
  for (const child of children) {
    if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, 3000).unref();
  }
}

// ---- scenario 1: join storm ----------------------------------------------------------------

interface StormRow {
  clients: number;
  joined: number;
  failed: number;
  errors: string[];
  ack: number[];
  ready: number[];
  mediaPerClient: number;
  signalPerClient: number;
  signalMsgsPerClient: number;
  flowing: number;
  expectedConsumers: number;
  consumers: number;
  delivery: number;
  serverCpu: number;
  workerCpu: number;
  clientCpu: number;
  wallS: number;
  rssBefore: number;
  rssAfter: number;
  workerRss: number;
  loadStart: string;
  loadEnd: string;
  events: Record<string, number>;
}

async function storm(clients: number): Promise<StormRow> {
  const loadStart = load();
  const server = await startServer(clients + 5);
  const children = forkClients(Math.min(PROCS, clients));
  try {
    const users = await createUsers(server, clients, `storm${clients}`);
    const roomId = createRoom(
      server,
      `load-storm-${clients}`,
      users.map((u) => u.id),
    );
    const before = await metrics(server.parley);
    const t0 = Date.now() + 500;
    const stormMs = STORM_S * 1000;
    const lastJoin = t0 + stormMs;
    const leaveAt = lastJoin + DURATION_S * 1000;
    const deadline = leaveAt + 30_000;
    const results: ClientResult[] = [];
    const errors: string[] = [];
    let joined = 0;
    let ready = 0;
    let failed = 0;
    let clientCpu = 0;
    let done = 0;
    let after: ServerMetrics | null = null;
    let afterAt = 0;

    const finished = new Promise<void>((resolveDone, rejectDone) => {
      children.forEach((child, index) => {
        child.on('message', (message: ChildMessage) => {
          if (message.type === 'joined') joined++;
          else if (message.type === 'ready') ready++;
          else if (message.type === 'failed') {
            failed++;
            errors.push(message.error);
          } else if (message.type === 'result') results.push(message.result);
          else if (message.type === 'done') {
            clientCpu += message.cpuSeconds;
            if (++done === children.length) resolveDone();
          }
        });
        child.once('exit', (code) => {
          if (done < children.length) rejectDone(new Error(`client process ${index} exited with ${code}`));
        });
        const mine = users
          .map((user, i) => ({ ...user, at: t0 + Math.round((i * stormMs) / Math.max(1, clients - 1)) }))
          .filter((_, i) => i % children.length === index);
        child.send({
          type: 'storm',
          base: server.parley.url,
          roomId,
          users: mine,
          leaveAt,
        } satisfies ParentMessage);
      });
    });
    const timer = setInterval(() => {
      const s = ((Date.now() - t0) / 1000).toFixed(0);
      progress(
        `[storm ${clients}] ${s}s joined ${joined}/${clients} ready ${ready} failed ${failed}  load ${load()}`,
      );
    }, 500);
    // Server figures just before the clients leave (the storm plus the hold).
    const sample = setTimeout(
      () =>
        void metrics(server.parley).then((m) => {
          after = m;
          afterAt = Date.now();
        }),
      Math.max(0, leaveAt - 300 - Date.now()),
    );
    const watchdog = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`storm ${clients}: not finished by its deadline`)),
        deadline - Date.now(),
      ).unref(),
    );
    try {
      await Promise.race([finished, watchdog]);
    } finally {
      clearInterval(timer);
      clearTimeout(sample);
      endProgress();
    }
    const end: ServerMetrics = after ?? (await metrics(server.parley));
    const wallS = ((afterAt || Date.now()) - (t0 - 500)) / 1000;
    const ok = results.filter((r) => r.ok);
    const sorted = (xs: (number | undefined)[]) =>
      xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    const events: Record<string, number> = {};
    for (const r of results) for (const [k, v] of Object.entries(r.events)) events[k] = (events[k] ?? 0) + v;
    const expectedConsumers = ok.length * (ok.length - 1);
    const consumers = ok.reduce((n, r) => n + r.consumers, 0);
    const flowing = ok.reduce((n, r) => n + r.consumersFlowing, 0);
    const received = results.reduce((n, r) => n + r.rtpPackets, 0);
    const due = results.reduce((n, r) => n + r.rtpExpected, 0);
    for (const r of results) for (const e of r.requestErrors) errors.push(e);
    return {
      clients,
      joined: ok.length,
      failed: clients - ok.length,
      errors,
      ack: sorted(results.map((r) => r.ackMs)),
      ready: sorted(ok.map((r) => r.readyMs)),
      mediaPerClient: ok.reduce((n, r) => n + r.mediaBytes, 0) / Math.max(1, ok.length),
      signalPerClient: results.reduce((n, r) => n + r.signalBytes, 0) / Math.max(1, results.length),
      signalMsgsPerClient: results.reduce((n, r) => n + r.signalMessages, 0) / Math.max(1, results.length),
      flowing,
      expectedConsumers,
      consumers,
      delivery: due > 0 ? received / due : 0,
      serverCpu: end.processCpu - before.processCpu,
      workerCpu: end.workerCpu - before.workerCpu,
      clientCpu,
      wallS,
      rssBefore: before.rssMb,
      rssAfter: end.rssMb,
      workerRss: end.workerRssMb,
      loadStart,
      loadEnd: load(),
      events,
    };
  } catch (error) {
    const log = readFileSync(server.log, 'utf8').split('\n').slice(-20).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nserver log (tail):\n${log}`);
  } finally {
    stopClients(children);
    await server.stop();
  }
}

function printStorms(rows: StormRow[]): void {
  console.log('\njoin storm (one room call; each client: 1 Opus producer in, every other participant out)');
  const head = [
    'clients',
    'joined',
    'failed',
    'ack p50',
    'ready p50',
    'ready p95',
    'ready max',
    'consumers',
    'media/cl',
    'signal/cl',
    'msgs/cl',
    'delivery',
    'server CPU',
    'worker CPU',
    'client CPU',
    'load',
  ];
  const table = rows.map((r) => [
    String(r.clients),
    String(r.joined),
    String(r.failed),
    fmtMs(percentile(r.ack, 50)),
    fmtMs(percentile(r.ready, 50)),
    fmtMs(percentile(r.ready, 95)),
    fmtMs(r.ready[r.ready.length - 1]),
    `${r.flowing}/${r.expectedConsumers}`,
    fmtBytes(r.mediaPerClient),
    fmtBytes(r.signalPerClient),
    r.signalMsgsPerClient.toFixed(0),
    `${(r.delivery * 100).toFixed(1)}%`,
    `${r.serverCpu.toFixed(1)} s`,
    `${r.workerCpu.toFixed(1)} s`,
    `${r.clientCpu.toFixed(1)} s`,
    `${r.loadStart.split(' ')[0]} -> ${r.loadEnd.split(' ')[0]}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const row of table) console.log(line(row));
  for (const r of rows) {
    const cpuPerPartMin = r.joined > 0 ? (r.serverCpu + r.workerCpu) / (r.joined * (r.wallS / 60)) : 0;
    console.log(
      `  ${r.clients} clients: ${r.wallS.toFixed(0)} s wall; server RSS ${r.rssBefore.toFixed(0)} -> ${r.rssAfter.toFixed(0)} MB, ` +
        `worker max RSS ${r.workerRss.toFixed(0)} MB; server+worker ${cpuPerPartMin.toFixed(2)} CPU-s per participant-minute; ` +
        `client CPU ${((r.clientCpu / r.clients / r.wallS) * 100).toFixed(1)}% of a core per client`,
    );
    const top = Object.entries(r.events)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(`    signalling received (all clients): ${top}`);
    if (r.errors.length > 0) {
      const counts = new Map<string, number>();
      for (const raw of r.errors) {
        const e = raw.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
        counts.set(e, (counts.get(e) ?? 0) + 1);
      }
      for (const [e, n] of counts) console.log(`    error x${n}: ${e}`);
    }
  }
}

// ---- scenario 3: idle sockets + ring latency -----------------------------------------------

interface SocketsRow {
  sockets: number;
  connected: number;
  connectS: number;
  calls: number;
  ring: number[];
  ringFailures: string[];
  rssBefore: number;
  rssAfter: number;
  loadStart: string;
  loadEnd: string;
}

async function sockets(count: number, calls: number): Promise<SocketsRow> {
  const loadStart = load();
  const server = await startServer(50);
  const children = forkClients(PROCS);
  const deadline = Date.now() + 110_000;
  try {
    const users = await createUsers(server, count, `idle${count}`);
    const before = await metrics(server.parley);
    const slices = children.map((_, index) => users.filter((_, i) => i % children.length === index));
    const t0 = Date.now();
    let connected = 0;
    const failures: string[] = [];
    const ask = <T extends ChildMessage['type']>(child: ChildProcess, message: ParentMessage, type: T) =>
      new Promise<Extract<ChildMessage, { type: T }>>((done, fail) => {
        const timer = setTimeout(
          () => fail(new Error(`no ${type} reply`)),
          Math.max(1000, deadline - Date.now()),
        );
        const onMessage = (reply: ChildMessage) => {
          if (reply.type !== type) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          done(reply as Extract<ChildMessage, { type: T }>);
        };
        child.on('message', onMessage);
        child.send(message);
      });
    const timer = setInterval(() => progress(`[sockets ${count}] connecting ... load ${load()}`), 500);
    try {
      const replies = await Promise.all(
        children.map((child, index) =>
          ask(child, { type: 'sockets', base: server.parley.url, users: slices[index] }, 'sockets'),
        ),
      );
      for (const reply of replies) {
        connected += reply.connected;
        failures.push(...reply.failed);
      }
    } finally {
      clearInterval(timer);
    }
    const connectS = (Date.now() - t0) / 1000;
    progress(`[sockets ${count}] ${connected} connected in ${connectS.toFixed(1)} s; ringing ...`);
    const ring: number[] = [];
    for (let i = 0; i < calls && Date.now() < deadline; i++) {
      const index = i % children.length;
      const slice = slices[index];
      const caller = slice[(2 * i) % slice.length];
      const callee = slice[(2 * i + 1) % slice.length];
      const reply = await ask(
        children[index],
        { type: 'ring', caller: caller.id, callee: callee.id },
        'ring',
      );
      if (reply.ms === null) failures.push(`ring: ${reply.error}`);
      else ring.push(reply.ms);
      progress(`[sockets ${count}] ring ${i + 1}/${calls}  load ${load()}`);
    }
    endProgress();
    const after = await metrics(server.parley);
    return {
      sockets: count,
      connected,
      connectS,
      calls,
      ring: ring.sort((a, b) => a - b),
      ringFailures: failures,
      rssBefore: before.rssMb,
      rssAfter: after.rssMb,
      loadStart,
      loadEnd: load(),
    };
  } finally {
    stopClients(children);
    await server.stop();
  }
}

function printSockets(row: SocketsRow): void {
  console.log(
    `\nidle sockets + ring latency (call.start -> call.incoming on the callee's socket, then call.cancel)`,
  );
  const p = (q: number) => (row.ring.length ? `${percentile(row.ring, q).toFixed(1)} ms` : '-');
  console.log(
    `sockets ${row.connected}/${row.sockets} connected in ${row.connectS.toFixed(1)} s; ring over ${row.ring.length}/${row.calls} calls: ` +
      `p50 ${p(50)}  p95 ${p(95)}  max ${row.ring.length ? `${row.ring[row.ring.length - 1].toFixed(1)} ms` : '-'}; ` +
      `server RSS ${row.rssBefore.toFixed(0)} -> ${row.rssAfter.toFixed(0)} MB; load ${row.loadStart.split(' ')[0]} -> ${row.loadEnd.split(' ')[0]}`,
  );
  for (const f of row.ringFailures.slice(0, 5)) console.log(`  failure: ${f}`);
}

// ---- main ----------------------------------------------------------------------------------

async function main(): Promise<number> {
  const watchdogMs = flags.quick ? 150_000 : 600_000;
  setTimeout(() => {
    console.error(`\nload: watchdog after ${watchdogMs / 1000} s, stopping`);
    process.exit(1);
  }, watchdogMs).unref();
  console.log(
    `load: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, load average ${load()}; ` +
      `${WORKERS} mediasoup worker(s), ${PROCS} client process(es), werift + mediasoup-client (Chrome111 handler)`,
  );
  const scenario = flags.quick ? 'all' : flags.scenario;
  const stormSizes = flags.quick ? [10, 20] : [intFlag('clients', 1, 300)];
  const socketCount = flags.quick ? 200 : intFlag('sockets', 2, 2000);
  const callCount = flags.quick ? 20 : intFlag('calls', 1, 200);
  if (flags.quick) {
    console.log(
      `quick: storms of ${stormSizes.join(' and ')} clients over ${STORM_S} s, hold ${DURATION_S} s; ${socketCount} idle sockets, ${callCount} rings`,
    );
  }
  const storms: StormRow[] = [];
  let idle: SocketsRow | null = null;
  if (scenario === 'storm' || scenario === 'all') {
    for (const n of stormSizes) storms.push(await storm(n));
  }
  if (scenario === 'sockets' || scenario === 'all') idle = await sockets(socketCount, callCount);
  if (storms.length > 0) printStorms(storms);
  if (idle) printSockets(idle);
  console.log(`\nload: done in ${((Date.now() - STARTED) / 1000).toFixed(0)} s, load average ${load()}`);
  return storms.some((r) => r.failed > 0) || (idle && idle.connected < idle.sockets) ? 1 : 0;
}

// ---- the network namespace -----------------------------------------------------------------

if (process.env['PARLEY_LOAD_NETNS'] !== '1') {
  const child = spawn(
    'bash',
    [join(ROOT, 'tools/netns.sh'), 'env', 'PARLEY_LOAD_NETNS=1', process.execPath, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  void main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
