import {
  type ConnectorModuleInfo,
  readConnectorModule,
  sdkCompatibilityProblem,
} from '@parley/connector-sdk';
import type { ConnectorLoadError } from '@parley/protocol';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConnectorRegistration } from '../conferencing.options';
import { provideSdkToPlugins } from './provide-sdk';

const SDK_PACKAGE = '@parley/connector-sdk';

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The `package.json` of package `name` whose entry is `entry` (the first one up from it with that name). */
function manifestOf(name: string, entry: string): Manifest | null {
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
        if (manifest.name === name) return manifest;
      } catch {
        // not JSON: keep looking up
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Refuses a plug-in built for another SDK major: the range it declares for `@parley/connector-sdk`
 * (peer dependency, or dependency) must admit the server's SDK version.
 */
function checkSdkCompatibility(name: string, entry: string): void {
  const manifest = manifestOf(name, entry);
  const range = manifest?.peerDependencies?.[SDK_PACKAGE] ?? manifest?.dependencies?.[SDK_PACKAGE];
  const problem = range === undefined ? null : sdkCompatibilityProblem(range);
  if (problem) throw new Error(problem);
}

/** A plug-in package that loaded: its module (to import into the app) and its registration. */
export interface LoadedConnector extends ConnectorModuleInfo {
  registration: ConnectorRegistration;
}

export interface LoadConnectorsOptions {
  /**
   * Folders whose `node_modules` are searched first (e.g. the working directory and
   * PARLEY_CONNECTORS_PATH); then the server's own resolution (its `node_modules` chain).
   */
  searchPaths: string[];
  /** `require` to use (the caller's, so a test runner's module mapping applies). */
  require: NodeJS.Require;
}

/**
 * Loads plug-in connectors by npm package name, the server's SDK provided to them
 * ({@link provideSdkToPlugins}). A package that cannot be resolved, is built for another SDK major,
 * throws while loading, or does not export a connector module is reported in `errors` and skipped;
 * the others load.
 */
export function loadConnectorPackages(
  names: readonly string[],
  options: LoadConnectorsOptions,
): { loaded: LoadedConnector[]; errors: ConnectorLoadError[] } {
  const loaded: LoadedConnector[] = [];
  const errors: ConnectorLoadError[] = [];
  provideSdkToPlugins();
  for (const name of names) {
    try {
      let exported: unknown;
      let path: string | null = null;
      try {
        path = options.require.resolve(name, { paths: options.searchPaths });
      } catch {
        path = null;
      }
      if (path) checkSdkCompatibility(name, path);
      try {
        exported = options.require(path ?? name);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${name}'`)) {
          throw new Error(
            `package not found (searched ${[...options.searchPaths, 'the server installation'].join(', ')}): install it with npm or set PARLEY_CONNECTORS_PATH`,
          );
        }
        throw new Error(`failed to load: ${error instanceof Error ? error.message : String(error)}`);
      }
      const info = readConnectorModule(exported);
      if (loaded.some((other) => other.type === info.type)) {
        throw new Error(`another package already registered the connector type ${info.type}`);
      }
      loaded.push({ ...info, registration: { type: info.type, source: { kind: 'package', name } } });
    } catch (error) {
      errors.push({
        package: name,
        message: error instanceof Error ? error.message : String(error),
        at: new Date().toISOString(),
      });
    }
  }
  return { loaded, errors };
}
