/**
 * Real npm for the specs that build connector packages as a third party does
 * (test/e2e/connector-package.e2e.spec.ts, test/e2e/plugins-packed-sdk.e2e.spec.ts): commands in a
 * temp folder, offline (no registry in the tests' network namespace: npm answers from the cache that
 * tools/connector-npm-cache.sh fills, or fails fast), with the output kept for failure messages.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** npm on a loaded 2-core machine: installing ~300 packages from the cache takes a while. */
export const NPM_TIMEOUT_MS = 300_000;

export const npmOffline = ['--offline', '--no-audit', '--no-fund', '--loglevel=error'];

export interface Run {
  code: number;
  output: string;
}

export function run(command: string, args: string[], cwd: string, timeout = NPM_TIMEOUT_MS): Promise<Run> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, npm_config_update_notifier: 'false' },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Runs the command; its output, or an error with the output (and a hint when npm missed its cache). */
export async function ok(command: string, args: string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) {
    const hint = result.output.includes('ENOTCACHED')
      ? '\n(npm cache incomplete: run `bash tools/connector-npm-cache.sh` online first; ./parley test does)'
      : '';
    throw new Error(`${command} ${args.join(' ')} in ${cwd} exited ${result.code}:\n${result.output}${hint}`);
  }
  return result.output;
}

/** Throws unless `nx run connector-sdk:pack` (part of the server build) wrote the SDK tarballs. */
export function requireSdkTarballs(packages: string): void {
  for (const tarball of ['parley-connector-sdk-1.0.0.tgz', 'parley-protocol-1.0.0.tgz']) {
    if (!existsSync(join(packages, tarball))) {
      throw new Error(`dist/packages/${tarball} is missing: run \`npx nx run connector-sdk:pack\` first`);
    }
  }
}
