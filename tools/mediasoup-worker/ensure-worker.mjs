#!/usr/bin/env node
// Makes sure node_modules/mediasoup has a mediasoup-worker binary that runs on
// this machine, the way mediasoup's own postinstall would, with an offline fallback:
//   1. keep an installed worker that passes the check;
//   2. else download mediasoup's official prebuilt worker (as its postinstall does);
//   3. else build it from the mediasoup npm tarball against Debian's libraries
//      (build-from-source.sh; cached per version + recipe) and install it.
// Then it proves the worker works: a real Worker + Router are created and closed.
//
// `npm install` runs with MEDIASOUP_WORKER_BIN set (tools/setup.sh) so that
// mediasoup's postinstall, whose fallback needs GitHub and PyPI, is skipped.
// Env: PARLEY_MEDIASOUP_FROM_SOURCE=1 skips step 2.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'package.json'));
const msDir = path.join(root, 'node_modules', 'mediasoup');
const pkg = JSON.parse(fs.readFileSync(path.join(msDir, 'package.json'), 'utf8'));
const releaseDir = path.join(msDir, 'worker', 'out', 'Release');
const workerBin = path.join(releaseDir, 'mediasoup-worker');
const log = (msg) => console.log(`[mediasoup-worker] ${msg}`);

/** mediasoup-worker started without MEDIASOUP_VERSION exits with 41 when it can run here. */
function runsHere(bin) {
  if (!fs.existsSync(bin)) return false;
  const r = spawnSync(bin, [], { env: {}, stdio: 'ignore' });
  return r.status === 41;
}

async function downloadPrebuilt() {
  if (process.env.PARLEY_MEDIASOUP_FROM_SOURCE === '1') return false;
  const base =
    process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ||
    `${pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;
  let name = `mediasoup-worker-${pkg.version}-${os.platform()}-${os.arch()}`;
  if (os.platform() === 'linux') name += `-kernel${Number(os.release().split('.')[0])}`;
  const url = `${base}/${pkg.version}/${name}.tgz`;
  log(`trying the official prebuilt worker: ${url}`);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const tgz = path.join(os.tmpdir(), `${name}-${process.pid}.tgz`);
    fs.writeFileSync(tgz, Buffer.from(await res.arrayBuffer()));
    fs.mkdirSync(releaseDir, { recursive: true });
    execFileSync('tar', ['xzf', tgz, '-C', releaseDir]);
    fs.rmSync(tgz, { force: true });
    fs.chmodSync(workerBin, 0o755);
    if (runsHere(workerBin)) return true;
    log('the prebuilt worker does not run on this machine');
    fs.rmSync(workerBin, { force: true });
  } catch (error) {
    const cause = error instanceof Error ? (error.cause?.code ?? error.message) : String(error);
    log(`no prebuilt worker (${cause}); building from source instead`);
  }
  return false;
}

function buildFromSource() {
  const out = execFileSync(path.join(here, 'build-from-source.sh'), [pkg.version], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const bin = out.trim().split('\n').pop();
  fs.mkdirSync(releaseDir, { recursive: true });
  fs.copyFileSync(bin, `${workerBin}.tmp`);
  fs.chmodSync(`${workerBin}.tmp`, 0o755);
  fs.renameSync(`${workerBin}.tmp`, workerBin);
}

/** The check that matters: mediasoup itself starts the worker and a router. */
async function smokeTest() {
  const mediasoup = require('mediasoup');
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  const router = await worker.createRouter({
    mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
  });
  const usage = await worker.getResourceUsage();
  router.close();
  worker.close();
  return usage;
}

let source = 'installed';
if (!runsHere(workerBin)) {
  source = 'prebuilt';
  if (!(await downloadPrebuilt())) {
    source = 'built from source';
    buildFromSource();
  }
  if (!runsHere(workerBin)) {
    console.error(`[mediasoup-worker] ${workerBin} does not run on this machine; see the build log above.`);
    process.exit(1);
  }
}
await smokeTest();
log(`mediasoup ${pkg.version} worker OK (${source}): ${path.relative(root, workerBin)}`);
