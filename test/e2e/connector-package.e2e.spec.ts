// A third party's connector from the published SDK alone (issue #14, acceptance 1): in a temp
// folder outside the repository, with only the packed tarballs (dist/packages, from
// `nx run connector-sdk:pack`, part of the server build): scaffold a connector with the SDK's
// `parley-create-connector`, `npm install` it (real npm, offline, from the local tarballs and the
// npm cache that tools/connector-npm-cache.sh fills), `npm test` (the conformance kit), `npm pack`,
// install the tarball into a PARLEY_CONNECTORS_PATH folder and start the built server with it:
// the provider shows on the admin API and the admin page, is configured, is offered to bob (the
// API and his call pulldown), and a call through it is placed and answered over the socket. Beside
// it in that folder: a stub SDK copy that must not be loaded (the server provides its own), and a
// plug-in built for SDK 2, which must be refused.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type {
  AdminProvider,
  AdminProvidersResponse,
  CallIncomingEvent,
  CallInfo,
  CallJoinResponse,
  ProviderDescriptor,
} from '@parley/protocol';
import type { Socket } from 'socket.io-client';
import { NPM_TIMEOUT_MS, npmOffline as NPM_OFFLINE, ok, requireSdkTarballs } from '../support/npm';
import { launchChromium } from '../support/browser';
import { person } from '../support/calls';
import { startParley, type TestServer } from '../support/parley-server';
import { connectSocket, loginOverRest, socketRequest } from '../support/sockets';

const ROOT = resolve(__dirname, '../..');
const PACKAGES = join(ROOT, 'dist/packages');
const NAME = 'parley-connector-acme';
const SETTINGS = { serviceUrl: 'https://meet.example.test', apiSecret: 'acme-secret-0123456789' };
describe('a connector package made from the SDK tarballs alone', () => {
  let work: string;
  let server: TestServer | undefined;
  const sockets: Socket[] = [];

  beforeAll(() => {
    requireSdkTarballs(PACKAGES);
    work = mkdtempSync(join(tmpdir(), 'parley-connector-package-'));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const tarballs = () => join(work, 'tarballs');
  const project = () => join(work, 'acme');
  const plugins = () => join(work, 'plugins');

  it('scaffolds a connector with parley-create-connector from the SDK tarball', async () => {
    mkdirSync(tarballs());
    for (const file of readdirSync(PACKAGES).filter((f) => f.endsWith('.tgz'))) {
      copyFileSync(join(PACKAGES, file), join(tarballs(), file));
    }
    await ok('tar', ['xzf', join(tarballs(), 'parley-connector-sdk-1.0.0.tgz'), '-C', work], work);
    const output = await ok(
      process.execPath,
      [join(work, 'package/bin/create-connector.cjs'), NAME, project(), '--tarballs', tarballs()],
      work,
    );
    expect(output).toContain('(type acme)');
    for (const file of [
      'package.json',
      'jest.config.cjs',
      'src/index.js',
      'src/client.mjs',
      'test/conformance.spec.js',
    ]) {
      expect(existsSync(join(project(), file))).toBe(true);
    }
  });

  it(
    'installs with npm and passes the conformance kit with npm test, unedited',
    async () => {
      await ok('npm', ['install', ...NPM_OFFLINE], project());
      const output = await ok('npm', ['test'], project());
      expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
      expect(output).not.toMatch(/Tests:.*failed/);
    },
    2 * NPM_TIMEOUT_MS,
  );

  it('packs a tarball that holds the client module', async () => {
    const output = await ok('npm', ['pack', '--json', '--loglevel=error'], project());
    const [packed] = JSON.parse(output) as { filename: string; files: { path: string }[] }[];
    expect(packed.filename).toBe(`${NAME}-0.1.0.tgz`);
    expect(packed.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['package.json', 'src/index.js', 'src/connector.js', 'src/client.mjs']),
    );
  });

  it(
    'installs into a PARLEY_CONNECTORS_PATH folder, and the server loads it with its own SDK',
    async () => {
      mkdirSync(plugins());
      writeFileSync(
        join(plugins(), 'package.json'),
        JSON.stringify({ name: 'parley-plugins', private: true }),
      );
      await ok('npm', ['install', ...NPM_OFFLINE, join(project(), `${NAME}-0.1.0.tgz`)], plugins());
      expect(existsSync(join(plugins(), 'node_modules', NAME, 'src/client.mjs'))).toBe(true);
      // A copy of the SDK installed beside the plug-in: the server must not load it.
      const stub = join(plugins(), 'node_modules/@parley/connector-sdk');
      mkdirSync(stub, { recursive: true });
      writeFileSync(
        join(stub, 'package.json'),
        JSON.stringify({ name: '@parley/connector-sdk', version: '1.0.0' }),
      );
      writeFileSync(join(stub, 'index.js'), "throw new Error('the copy beside the plug-in was loaded');\n");
      // A plug-in built for another SDK major: refused, with the reason.
      const future = join(plugins(), 'node_modules/parley-connector-future');
      mkdirSync(future, { recursive: true });
      writeFileSync(
        join(future, 'package.json'),
        JSON.stringify({
          name: 'parley-connector-future',
          version: '1.0.0',
          peerDependencies: { '@parley/connector-sdk': '^2.0.0' },
        }),
      );
      writeFileSync(join(future, 'index.js'), "throw new Error('an incompatible plug-in was run');\n");

      server = await startParley({
        PARLEY_CONNECTORS: `${NAME},parley-connector-future`,
        PARLEY_CONNECTORS_PATH: plugins(),
      });
    },
    2 * NPM_TIMEOUT_MS,
  );

  const login = (username: string) => loginOverRest(server!.url, username);

  function api(
    token: string,
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<Response> {
    return fetch(`${server!.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  async function connect(token: string): Promise<Socket> {
    const socket = await connectSocket(server!.url, token);
    sockets.push(socket);
    return socket;
  }

  const request = <T>(socket: Socket, event: string, payload: unknown) =>
    socketRequest<T>(socket, event, payload, 30_000);

  it('lists the provider on the admin API, refuses the SDK 2 plug-in, and configures and activates it', async () => {
    const alice = await login('alice');
    const listed = (await (await api(alice.token, '/api/admin/providers')).json()) as AdminProvidersResponse;
    const acme = listed.providers.find((p) => p.type === 'acme');
    expect(acme).toMatchObject({ source: { kind: 'package', name: NAME }, title: 'Acme', configured: false });
    expect(listed.loadErrors).toEqual([
      expect.objectContaining({
        package: 'parley-connector-future',
        message: expect.stringContaining('accepts plug-ins built for SDK major 1'),
      }),
    ]);
    expect(server!.output()).not.toContain('beside the plug-in was loaded');

    const saved = await api(alice.token, '/api/admin/providers/acme', {
      method: 'PUT',
      body: { active: true, settings: SETTINGS },
    });
    expect(saved.status).toBe(200);
    const updated = (await saved.json()) as AdminProvider;
    expect(updated).toMatchObject({ active: true, configured: true, settings: { apiSecret: { set: true } } });
  });

  it("is among bob's providers, serves its client half, and a call through it works over the socket", async () => {
    const [alice, bob] = [await login('alice'), await login('bob')];
    const providers = (await (await api(bob.token, '/api/providers')).json()) as ProviderDescriptor[];
    expect(providers.map((p) => p.type)).toContain('acme');
    const client = await api(bob.token, '/api/providers/acme/client.js');
    expect(client.status).toBe(200);
    expect(await client.text()).toContain('export default connector');

    const [aliceSocket, bobSocket] = [await connect(alice.token), await connect(bob.token)];
    const incoming = new Promise<CallIncomingEvent>((done) => aliceSocket.once('call.incoming', done));
    const call = await request<CallInfo>(bobSocket, 'call.start', {
      providerType: 'acme',
      target: { kind: 'user', userId: alice.user.id },
    });
    expect(call).toMatchObject({ providerType: 'acme', state: 'ringing' });
    expect((await incoming).call.id).toBe(call.id);

    const answered = await request<CallJoinResponse>(aliceSocket, 'call.answer', { callId: call.id });
    expect(answered.call.state).toBe('active');
    const url = String(answered.joinInfo['url']);
    expect(url).toMatch(new RegExp(`^https://meet\\.example\\.test/parley-${call.id}\\?user=`));
    expect(url).not.toContain(SETTINGS.apiSecret);

    const ended = await request<CallInfo>(bobSocket, 'call.hangup', { callId: call.id });
    expect(ended.state).toBe('ended');
  });
  it("in the browser: its card is on alice's admin page, and bob's call pulldown offers it", async () => {
    const browser = await launchChromium();
    try {
      const alice = await person(browser, server!.url, 'alice');
      await alice.page.goto('/admin');
      await alice.page.getByTestId('provider-acme').waitFor({ timeout: 15_000 });

      const bob = await person(browser, server!.url, 'bob');
      await bob.page.goto(`/people/${alice.user.id}`);
      const slot = bob.page.locator('[data-call-slot="profile-header"]');
      await slot.getByTestId('call-provider-toggle').click({ timeout: 15_000 });
      await slot.getByTestId('call-provider-menu').getByTestId('call-provider-option-acme').waitFor();
    } finally {
      await browser.close();
    }
  });
});
