import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Fixtures: sources linted as if they were these files of the workspace (nothing is written). */
const fixtures = {
  serverImportsConnector: [
    'libs/server/calls/src/lib/boundary-fixture.ts',
    "import { MediasoupService } from '@parley/connector-webrtc';\nexport const a = MediasoupService;\n",
  ],
  sharedImportsServer: [
    'libs/connector-sdk/src/lib/boundary-fixture.ts',
    "import { CallService } from '@parley/server-calls';\nexport const a = CallService;\n",
  ],
  deepRelativeImport: [
    'libs/connectors/jitsi/src/lib/boundary-fixture.ts',
    "import { errorMessage } from '../../../../protocol/src/lib/format';\nexport const a = errorMessage;\n",
  ],
  productImportsTestSupport: [
    'libs/server/directory/src/lib/boundary-fixture.ts',
    "import { startPostgres } from '@parley/test-support/postgres';\nexport const a = startPostgres;\n",
  ],
  specImportsTestSupport: [
    'libs/server/directory/src/lib/boundary-fixture.spec.ts',
    "import { startPostgres } from '@parley/test-support/postgres';\nexport const a = startPostgres;\n",
  ],
  allowedImport: [
    'libs/connectors/janus/src/lib/boundary-fixture.ts',
    "import { errorMessage } from '@parley/protocol';\nexport const a = errorMessage;\n",
  ],
} as const;

let results: Record<string, LintMessage[]>;

beforeAll(() => {
  const input = Object.fromEntries(Object.values(fixtures));
  const run = spawnSync(process.execPath, [path.join(__dirname, 'lint-text.mjs')], {
    cwd: root,
    input: JSON.stringify(input),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`lint-text.mjs failed: ${run.stderr}`);
  results = JSON.parse(run.stdout) as Record<string, LintMessage[]>;
  // ESLint first builds the Nx project graph (seconds idle, about a minute on a loaded machine).
}, 240_000);

const boundaryErrors = (fixture: keyof typeof fixtures) =>
  (results[fixtures[fixture][0]] ?? [])
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);

describe('lint: module boundaries (tools/eslint/module-boundaries.mjs)', () => {
  it('refuses a server lib importing a connector (wrong-way dependency)', () => {
    expect(boundaryErrors('serverImportsConnector')).toEqual([
      expect.stringContaining('can only depend on libs tagged with "scope:server", "scope:shared"'),
    ]);
  });

  it('refuses the shared layer (SDK) importing a server lib', () => {
    expect(boundaryErrors('sharedImportsServer')).toHaveLength(1);
  });

  it('refuses a deep (relative) import into another project', () => {
    expect(boundaryErrors('deepRelativeImport')).toEqual([
      expect.stringContaining('must begin with a npm scope'),
    ]);
  });

  it('keeps the test support out of product code, and lets specs use it', () => {
    expect(boundaryErrors('productImportsTestSupport')).toEqual([
      expect.stringContaining('can only depend on libs tagged with'),
    ]);
    expect(results[fixtures.specImportsTestSupport[0]]).toEqual([]);
  });

  it('accepts an allowed dependency through the package name', () => {
    expect(results[fixtures.allowedImport[0]]).toEqual([]);
  });
});
