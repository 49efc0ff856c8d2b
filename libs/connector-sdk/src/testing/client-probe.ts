import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { CallTarget } from '@parley/protocol';

/** What the probe found when loading a client half in a fresh Node process (no DOM). */
export interface ClientProbeResult {
  loaded: boolean;
  loadError?: string;
  shape: { init: boolean; canCall: boolean; open: boolean };
  /** Each failing-init scenario: whether init threw/rejected, and what canCall did afterwards. */
  failingInit: {
    scenario: string;
    initFailed: boolean;
    canCallAfter: 'true' | 'false' | 'threw' | 'other';
  }[];
  /** After a good init: canCall per target. */
  canCall: { target: CallTarget; result: 'true' | 'false' | 'threw' | 'other' }[];
  goodInitError?: string;
  /** Uncaught exceptions / unhandled rejections seen during the probe. */
  crashes: string[];
}

const PROBE = String.raw`
const [file, targetsJson] = process.argv.slice(1);
const crashes = [];
process.on('uncaughtException', (e) => crashes.push('uncaughtException: ' + (e?.message ?? e)));
process.on('unhandledRejection', (e) => crashes.push('unhandledRejection: ' + (e?.message ?? e)));
const targets = JSON.parse(targetsJson);
const out = { loaded: false, shape: { init: false, canCall: false, open: false }, failingInit: [], canCall: [], crashes };
const outcome = async (fn) => {
  try { const v = await fn(); return v === true ? 'true' : v === false ? 'false' : 'other'; } catch { return 'threw'; }
};
const provider = { type: 'probe', title: 'Probe', version: '0.0.0', description: '', capabilities: [], supportedTargets: [], clientModuleUrl: '', order: 0, imAccount: null };
const user = { id: 'u1', username: 'probe', displayName: 'Probe User', avatarUrl: '/a.svg', presence: 'available' };
const good = { provider, user, serverUrl: 'http://127.0.0.1:9', emit() {}, iceConfig: async () => ({ iceServers: [], iceTransportPolicy: 'all', expiresAt: null }) };
try {
  const mod = await import(file);
  const c = mod.default;
  out.loaded = true;
  out.shape = { init: typeof c?.init === 'function', canCall: typeof c?.canCall === 'function', open: typeof c?.open === 'function' };
  if (out.shape.init && out.shape.canCall) {
    const scenarios = {
      'no context': undefined,
      'emit throws': { ...good, emit() { throw new Error('emit failed'); } },
      'iceConfig rejects': { ...good, iceConfig: () => Promise.reject(new Error('ice failed')) },
      'no provider': { ...good, provider: undefined },
    };
    for (const [scenario, ctx] of Object.entries(scenarios)) {
      let initFailed = false;
      try { await c.init(ctx); } catch { initFailed = true; }
      const canCallAfter = await outcome(() => c.canCall(targets[0]));
      out.failingInit.push({ scenario, initFailed, canCallAfter });
    }
    try { await c.init(good); } catch (e) { out.goodInitError = String(e?.message ?? e); }
    for (const target of targets) out.canCall.push({ target, result: await outcome(() => c.canCall(target)) });
  }
} catch (e) {
  out.loadError = String(e?.stack ?? e);
}
await new Promise((r) => setTimeout(r, 50));
process.stdout.write(JSON.stringify(out));
`;

/** Loads a client half (ES module file) in a separate Node process and exercises `init`/`canCall`. */
export function probeClientModule(path: string, targets: CallTarget[]): Promise<ClientProbeResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', PROBE, pathToFileURL(path).href, JSON.stringify(targets)],
      { timeout: 20000 },
      (error, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout) as ClientProbeResult);
        } catch {
          reject(new Error(`client module probe failed: ${error?.message ?? ''}\n${stderr}`));
        }
      },
    );
  });
}
