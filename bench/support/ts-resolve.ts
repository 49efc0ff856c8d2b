// Lets a benchmark load the tests' helpers under test/support (written for jest, whose relative
// imports carry no extension) with Node's own TypeScript support: an extensionless relative
// specifier that does not resolve is tried again with `.ts`. Import this first, then the helpers
// with a dynamic `import()` (static imports are resolved before this runs).
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.startsWith('.') || /\.[cm]?[jt]s$/.test(specifier)) throw error;
      return nextResolve(`${specifier}.ts`, context);
    }
  },
});
