import { SDK_MAJOR } from '@parley/connector-sdk';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConnectorPackages } from './load-connectors';
import { PROVIDED_TO_PLUGINS, provideSdkToPlugins } from './provide-sdk';

describe('loadConnectorPackages: the SDK compatibility rule', () => {
  let dir: string;
  const write = (name: string, peer: string | undefined, code: string) => {
    const folder = join(dir, 'node_modules', name);
    mkdirSync(folder, { recursive: true });
    const peerDependencies = peer === undefined ? undefined : { '@parley/connector-sdk': peer };
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name, main: 'index.js', peerDependencies }));
    writeFileSync(join(folder, 'index.js'), code);
  };
  const connector = (type: string) => `
    const { join } = require('node:path');
    const { ConnectorModule } = require('@parley/connector-sdk');
    exports.parleyConnector = ConnectorModule.register({
      type: '${type}', title: '${type}', version: '1.0.0', description: 'd',
      supportedTargets: ['user'], capabilities: [], settingsSchema: { type: 'object', properties: {} },
      isConfigured: () => true, joinInfo: () => ({}), clientModule: { path: join(__dirname, 'index.js') },
    });`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-sdk-rule-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads plug-ins declaring this SDK major (or none), refuses another major without running it', () => {
    write('for-this-major', `^${SDK_MAJOR}.0.0`, connector('this-major'));
    write('undeclared', undefined, connector('undeclared'));
    write('for-next-major', `^${SDK_MAJOR + 1}.0.0`, "throw new Error('must not run');");
    const { loaded, errors } = loadConnectorPackages(['for-this-major', 'undeclared', 'for-next-major'], {
      searchPaths: [dir],
      require,
    });
    expect(loaded.map((l) => l.type)).toEqual(['this-major', 'undeclared']);
    expect(errors).toEqual([
      expect.objectContaining({
        package: 'for-next-major',
        message: expect.stringMatching(
          new RegExp(
            `^built for @parley/connector-sdk \\^${SDK_MAJOR + 1}\\.0\\.0, .*SDK major ${SDK_MAJOR} `,
          ),
        ),
      }),
    ]);
  });
});

describe('provideSdkToPlugins', () => {
  it('answers require() of the SDK and the protocol with the server copies, anywhere in the process', () => {
    provideSdkToPlugins();
    // Node's own loader (jest's `require` maps modules itself): through Module.createRequire.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createRequire } = require('node:module') as typeof import('node:module');
    const nodeRequire = createRequire(join(tmpdir(), 'nowhere', 'plugin.js'));
    expect(nodeRequire('@parley/connector-sdk')).toBe(PROVIDED_TO_PLUGINS['@parley/connector-sdk']);
    expect(nodeRequire('@parley/protocol')).toBe(PROVIDED_TO_PLUGINS['@parley/protocol']);
    expect(() => nodeRequire('@parley/not-provided')).toThrow(/Cannot find module/);
  });
});
