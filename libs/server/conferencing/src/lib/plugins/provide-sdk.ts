import * as sdk from '@parley/connector-sdk';
import * as protocol from '@parley/protocol';
import Module from 'node:module';

/**
 * The packages the server hands to plug-ins: its own loaded copy of each, so every plug-in and the
 * server share one instance (one `ConnectorModule` class, one set of decorators and tokens) whether
 * or not a plug-in also has a copy installed next to it, and wherever it is installed
 * (PARLEY_CONNECTORS_PATH is usually outside the server's `node_modules` chain).
 */
export const PROVIDED_TO_PLUGINS: Readonly<Record<string, object>> = {
  '@parley/connector-sdk': sdk,
  '@parley/protocol': protocol,
};

const GLOBAL_KEY = Symbol.for('parley.plugin-provided-modules');
const SCHEME = 'parley-provided:';

interface ModuleInternals {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}

interface ResolveContext {
  conditions?: readonly string[];
}
interface HookResult {
  url: string;
  format?: string;
  shortCircuit?: boolean;
}
interface LoadResult {
  format: string;
  source: string;
  shortCircuit?: boolean;
}
type RegisterHooks = (hooks: {
  resolve(
    specifier: string,
    context: ResolveContext,
    next: (specifier: string, context: ResolveContext) => HookResult,
  ): HookResult;
  load(url: string, context: unknown, next: (url: string, context: unknown) => LoadResult): LoadResult;
}) => unknown;

/** The ES module source that re-exports a provided CommonJS object (for `import` from an ESM plug-in). */
function esmFacade(name: string, exported: object): string {
  const names = Object.keys(exported).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
  const lines = [
    `const m = globalThis[Symbol.for('parley.plugin-provided-modules')][${JSON.stringify(name)}];`,
    'export default m;',
    ...names.map((key) => `export const ${key} = m[${JSON.stringify(key)}];`),
  ];
  return lines.join('\n');
}

let installed = false;

/**
 * Makes `require('@parley/connector-sdk')` and `import '@parley/connector-sdk'` (and
 * `@parley/protocol`) in any module of the process answer the server's own copy. Limited to those
 * exact specifiers: everything else resolves as Node always does; subpaths (`/client`,
 * `/testing`) are not for the server side and resolve normally. Idempotent.
 *
 * Why a hook rather than shipping the SDK in `dist/server/node_modules`: Node resolves a bare
 * specifier from the folder of the module that asks, so a plug-in installed under
 * PARLEY_CONNECTORS_PATH would never see the server's `node_modules`, and a plug-in that has the
 * SDK installed beside it would load that second copy. The hook is the one place that decides.
 */
export function provideSdkToPlugins(modules: Readonly<Record<string, object>> = PROVIDED_TO_PLUGINS): void {
  const registry = ((globalThis as Record<symbol, Record<string, object>>)[GLOBAL_KEY] ??= {});
  Object.assign(registry, modules);
  if (installed) return;
  installed = true;
  const internals = Module as unknown as ModuleInternals;
  const load = internals._load;
  internals._load = function provided(request: string, parent: unknown, isMain: boolean): unknown {
    const own = Object.prototype.hasOwnProperty.call(registry, request) ? registry[request] : undefined;
    return own ?? load.call(this, request, parent, isMain);
  };
  const registerHooks = (Module as unknown as { registerHooks?: RegisterHooks }).registerHooks;
  try {
    registerHooks?.({
      resolve(specifier, context, next) {
        const importing = !context.conditions || context.conditions.includes('import');
        if (importing && Object.prototype.hasOwnProperty.call(registry, specifier)) {
          return { url: `${SCHEME}${specifier}`, shortCircuit: true };
        }
        return next(specifier, context);
      },
      load(url, context, next) {
        if (url.startsWith(SCHEME)) {
          const name = url.slice(SCHEME.length);
          return { format: 'module', source: esmFacade(name, registry[name]), shortCircuit: true };
        }
        return next(url, context);
      },
    });
  } catch {
    // A host without module hooks (jest's sandbox refuses them): `require` is still provided.
  }
}
