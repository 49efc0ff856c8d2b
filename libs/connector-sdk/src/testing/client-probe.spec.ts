import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeClientModule } from './client-probe';
import { secretForms } from './index';

// The kit must be able to fail: these client halves are broken on purpose.
describe('client half probe', () => {
  let dir: string;
  const file = (name: string, code: string) => {
    const path = join(dir, name);
    writeFileSync(path, code);
    return path;
  };
  const targets = [{ kind: 'user' as const, userId: 'u' }];

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'parley-probe-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a well-behaved client half', async () => {
    const probe = await probeClientModule(
      file(
        'good.mjs',
        'let ok = false; export default { init(c) { ok = false; if (!c?.provider) throw new Error("x"); ok = true; }, canCall() { return ok; }, open() { return { close() {} }; } };',
      ),
      targets,
    );
    expect(probe).toMatchObject({ loaded: true, crashes: [], canCall: [{ result: 'true' }] });
    expect(probe.failingInit.find((s) => s.scenario === 'no context')).toEqual({
      scenario: 'no context',
      initFailed: true,
      canCallAfter: 'false',
    });
  });

  it('reports crashes, a wrong shape and load errors', async () => {
    const crashing = await probeClientModule(
      file(
        'crash.mjs',
        'export default { init() { Promise.reject(new Error("floating")); }, canCall() { return true; }, open() {} };',
      ),
      targets,
    );
    expect(crashing.crashes).toContain('unhandledRejection: floating');
    const shapeless = await probeClientModule(file('shape.mjs', 'export const init = () => {};'), targets);
    expect(shapeless.shape).toEqual({ init: false, canCall: false, open: false });
    const syntax = await probeClientModule(file('syntax.mjs', 'export default {'), targets);
    expect(syntax.loaded).toBe(false);
    expect(syntax.loadError).toMatch(/SyntaxError/);
  });

  it('lists the encoded forms of a secret', () => {
    expect(secretForms('ab')).toEqual(['ab', 'YWI=', 'YWI', '6162', 'ab']);
  });
});
