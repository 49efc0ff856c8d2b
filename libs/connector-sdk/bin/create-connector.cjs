#!/usr/bin/env node
// parley-create-connector <package-name> [dir] [--type <type>] [--title <title>] [--tarballs <dir>]
// Writes a new Parley connector package: settings schema, server half, client half, a conformance
// spec (@parley/connector-sdk/testing) and a jest config. `npm install && npm test` then passes as
// written. --tarballs: take @parley/connector-sdk and @parley/protocol from the .tgz files in that
// folder (before the SDK is on a registry, e.g. dist/packages of a Parley checkout).
// No dependencies: it runs from the unpacked SDK tarball as well as from node_modules/.bin.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const SDK = require('../package.json');

function usage(message) {
  if (message) console.error(`create-connector: ${message}`);
  console.error(
    'usage: parley-create-connector <package-name> [dir] [--type <type>] [--title <title>] [--tarballs <dir>]',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const options = { positional: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') usage();
    if (arg.startsWith('--')) {
      const value = argv[i + 1];
      if (value === undefined) usage(`${arg} needs a value`);
      options[arg.slice(2)] = value;
      i += 1;
    } else {
      options.positional.push(arg);
    }
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const [name, dirArg] = options.positional;
if (!name) usage('a package name is required');
if (!/^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/.test(name))
  usage(`${name} is not a valid npm package name`);
const base = name.split('/').pop();
const type = options.type ?? (base.replace(/^parley-(connector-)?|^connector-/, '') || base);
if (!/^[a-z][a-z0-9-]{0,39}$/.test(type)) {
  usage(`connector type ${JSON.stringify(type)} is invalid (lowercase letters, digits, dashes; pass --type)`);
}
const title =
  options.title ??
  type.replace(/(^|-)([a-z])/g, (_, dash, letter) => `${dash ? ' ' : ''}${letter.toUpperCase()}`);
const dir = path.resolve(dirArg ?? base);
if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) usage(`${dir} exists and is not empty`);

const major = SDK.version.split('.')[0];
function tarballSpec(packageName, version) {
  const folder = path.resolve(options.tarballs);
  const file = path.join(folder, `${packageName.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  if (!fs.existsSync(file)) usage(`${file} not found`);
  return `file:${file}`;
}
const devDependencies = options.tarballs
  ? {
      '@parley/connector-sdk': tarballSpec('@parley/connector-sdk', SDK.version),
      '@parley/protocol': tarballSpec('@parley/protocol', SDK.dependencies['@parley/protocol']),
    }
  : { '@parley/connector-sdk': `^${SDK.version}` };
devDependencies.jest = '^30.0.0';

const files = {
  'package.json': `${JSON.stringify(
    {
      name,
      version: '0.1.0',
      description: `Parley connector: ${title}`,
      license: 'UNLICENSED',
      main: 'src/index.js',
      // The client half (src/client.mjs) must be in the package: Parley serves it to browsers.
      files: ['src', '!src/**/*.spec.*'],
      scripts: { test: 'jest' },
      // The SDK is the server's: Parley hands its own copy to the plug-in at run time. Optional, so
      // that installing the plug-in next to Parley does not install a second copy.
      peerDependencies: { '@parley/connector-sdk': `^${major}.0.0` },
      peerDependenciesMeta: { '@parley/connector-sdk': { optional: true } },
      devDependencies,
    },
    null,
    2,
  )}\n`,
  'jest.config.cjs': `// The conformance kit runs as a jest suite; the connector is plain CommonJS, so no transform.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.js'],
  testTimeout: 30000,
};
`,
  'src/index.js': `// @ts-check
// The package's entry point: Parley loads it by package name (PARLEY_CONNECTORS=${name})
// and imports \`parleyConnector\` into its application.
const { ConnectorModule } = require('@parley/connector-sdk');
const { connector } = require('./connector');

exports.connector = connector;
exports.parleyConnector = ConnectorModule.register(connector);
`,
  'src/connector.js': `// @ts-check
// The server half: identity, settings schema, configuration check, join info, health.
const { createHmac } = require('node:crypto');
const { join } = require('node:path');
const { version } = require('../package.json');

/**
 * The settings an admin enters on the Web Conferencing page (secrets in clear here: Parley stores
 * them encrypted and never sends them to a browser).
 * @typedef {{ serviceUrl: string, apiSecret: string, roomPrefix: string }} Settings
 */

/** @type {import('@parley/connector-sdk').SettingsSchema} */
const settingsSchema = {
  type: 'object',
  properties: {
    serviceUrl: { type: 'string', title: 'Service URL', format: 'uri', pattern: '^https?://' },
    apiSecret: { type: 'string', title: 'API secret', writeOnly: true, minLength: 8 },
    roomPrefix: { type: 'string', title: 'Room prefix', pattern: '^[a-z0-9-]*$', default: 'parley-' },
  },
  required: ['serviceUrl', 'apiSecret'],
};

/** @type {import('@parley/connector-sdk').ConnectorDefinition<Settings>} */
const connector = {
  type: ${JSON.stringify(type)},
  title: ${JSON.stringify(title)},
  version,
  description: ${JSON.stringify(`Opens calls as ${title} meetings.`)},
  supportedTargets: ['user', 'room', 'space'],
  capabilities: ['audio', 'video'],
  settingsSchema,
  isConfigured: (settings) =>
    !settings.serviceUrl ? 'Service URL is not set' : !settings.apiSecret ? 'API secret is not set' : true,
  joinInfo(call, user, { settings }) {
    // A meeting per call; a per-user signature made with the secret (never the secret itself).
    const room = \`\${settings.roomPrefix}\${call.id}\`;
    const signature = createHmac('sha256', settings.apiSecret).update(\`\${room}:\${user.id}\`).digest('hex');
    const url = new URL(\`/\${encodeURIComponent(room)}\`, settings.serviceUrl);
    url.searchParams.set('user', user.id);
    url.searchParams.set('name', user.displayName);
    url.searchParams.set('signature', signature);
    return { url: url.toString(), room };
  },
  async check({ settings }) {
    try {
      const response = await fetch(settings.serviceUrl, { method: 'HEAD', signal: AbortSignal.timeout(4000) });
      return response.ok ? { ok: true, detail: \`HTTP \${response.status}\` } : { ok: false, reason: \`HTTP \${response.status}\` };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  },
  clientModule: { path: join(__dirname, 'client.mjs') },
};

module.exports = { connector, settingsSchema };
`,
  'src/client.mjs': `// @ts-check
// The client half: a self-contained ES module (no imports) that Parley serves to browsers at
// /api/providers/${type}/client.js; its default export is a ClientConnector.
/** @import { ClientConnector, ClientContext } from '@parley/connector-sdk' */

/** @type {ClientContext | null} */
let context = null;

/** @type {ClientConnector} */
const connector = {
  init(ctx) {
    context = null;
    if (!ctx || !ctx.provider) throw new Error(${JSON.stringify(`${title}: init needs a context`)});
    context = ctx;
  },
  canCall(target) {
    return context !== null && ['user', 'room', 'space'].includes(target?.kind);
  },
  open(call, container) {
    const ctx = context;
    if (!ctx) throw new Error(${JSON.stringify(`${title}: not initialised`)});
    const { url } = /** @type {{ url: string }} */ (call.joinInfo);
    // The meeting runs on the provider's own page: shown in the call window, with a link to open
    // it in a tab of its own.
    const view = document.createElement('div');
    view.className = ${JSON.stringify(`${type}-call`)};
    view.style.cssText = 'display:flex;flex-direction:column;width:100%;height:100%';
    const meeting = Object.assign(document.createElement('iframe'), { src: url, title: call.title });
    meeting.allow = 'camera; microphone; display-capture; fullscreen';
    meeting.style.cssText = 'flex:1;border:0';
    const link = Object.assign(document.createElement('a'), { href: url, target: '_blank', rel: 'noopener' });
    link.textContent = 'Open in a new tab';
    view.append(meeting, link);
    container.appendChild(view);
    ctx.emit({ type: 'joined' });
    return {
      close() {
        view.remove();
        ctx.emit({ type: 'left' });
      },
    };
  },
};

export default connector;
`,
  'test/conformance.spec.js': `// The conformance kit of @parley/connector-sdk: the checks Parley relies on.
const { describeConnectorConformance } = require('@parley/connector-sdk/testing');

describeConnectorConformance({
  load: () => require('..'), // by the package's entry point, as Parley loads it
  validSettings: { serviceUrl: 'https://meet.example.test', apiSecret: 'conformance-secret-0123456789' },
  invalidSettings: [
    { settings: { serviceUrl: 'not a url', apiSecret: 'conformance-secret-0123456789' }, field: 'serviceUrl' },
    { settings: { serviceUrl: 'https://meet.example.test' }, field: 'apiSecret' },
  ],
});
`,
  'README.md': `# ${name}

A Parley connector (${title}), made with \`parley-create-connector\`.

\`\`\`sh
npm install
npm test        # the conformance kit
npm pack        # ${base}-0.1.0.tgz
\`\`\`

Install the tarball where Parley looks for plug-ins and name it:

\`\`\`sh
npm install --prefix /opt/parley-connectors ./${base}-0.1.0.tgz
PARLEY_CONNECTORS_PATH=/opt/parley-connectors PARLEY_CONNECTORS=${name}
\`\`\`

Then configure it on the Web Conferencing admin page. The guide: Parley's \`docs/connectors.md\`.
`,
  '.gitignore': 'node_modules/\n*.tgz\n',
};

for (const [file, text] of Object.entries(files)) {
  const target = path.join(dir, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
}
console.log(`[create-connector] ${name} (type ${type}) in ${dir}`);
console.log(`  cd ${dir} && npm install && npm test`);
