import type { CallTarget, ProviderDescriptor } from '@parley/protocol';
import {
  ClientHalfLoader,
  DEFAULT_CLIENT_CONNECTOR_TIMEOUTS,
  clientConnectorOf,
  type ClientHalfLoaderOptions,
} from './client-connector-loader';
import type { ClientContext } from './connector-types';

const provider = (type: string, extra: Partial<ProviderDescriptor> = {}): ProviderDescriptor => ({
  type,
  title: type,
  version: '1.0.0',
  description: '',
  capabilities: ['audio', 'video'],
  supportedTargets: ['user', 'room'],
  clientModuleUrl: `/api/providers/${type}/client.js?v=1`,
  order: 0,
  imAccount: null,
  ...extra,
});

const bob: CallTarget = { kind: 'user', userId: 'u2' };

/** A client module whose connector answers `canCall` with `answer` (a value or a promise). */
function module(answer: () => unknown = () => true, init: () => unknown = () => undefined) {
  return { default: { init: jest.fn(init), canCall: jest.fn(answer), open: jest.fn() } };
}

describe('ClientHalfLoader', () => {
  let warn: jest.SpyInstance;
  let modules: Record<string, unknown>;
  let imported: string[];
  let signedIn: boolean;

  const loader = (extra: Partial<ClientHalfLoaderOptions> = {}) =>
    new ClientHalfLoader({
      serverUrl: 'https://parley.test',
      context: (p) =>
        signedIn
          ? ({ provider: p, user: { id: 'u1' }, serverUrl: 'https://parley.test' } as ClientContext)
          : null,
      importModule: async (url) => {
        imported.push(url);
        const found = modules[new URL(url).pathname];
        if (!found) throw new Error(`404 ${url}`);
        return found;
      },
      timeouts: { initMs: 40, canCallMs: 40 },
      ...extra,
    });

  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    modules = {};
    imported = [];
    signedIn = true;
  });
  afterEach(() => warn.mockRestore());

  it('imports by absolute URL on the server, once per module URL, and inits with the context', async () => {
    const webrtc = module();
    modules['/api/providers/webrtc/client.js'] = webrtc;
    const halves = loader();
    const first = await halves.connector(provider('webrtc'));
    expect(await halves.connector(provider('webrtc'))).toBe(first);
    expect(first).toBe(webrtc.default);
    expect(imported).toEqual(['https://parley.test/api/providers/webrtc/client.js?v=1']);
    expect(webrtc.default.init).toHaveBeenCalledWith(expect.objectContaining({ user: { id: 'u1' } }));
    halves.reset();
    await halves.connector(provider('webrtc'));
    expect(imported).toHaveLength(2);
  });

  it('loads nothing while signed out, and does not remember that', async () => {
    modules['/api/providers/webrtc/client.js'] = module();
    const halves = loader();
    signedIn = false;
    await expect(halves.connector(provider('webrtc'))).resolves.toBeNull();
    expect(imported).toEqual([]);
    signedIn = true;
    await expect(halves.connector(provider('webrtc'))).resolves.not.toBeNull();
  });

  it('keeps the order, skips unsupported targets, and drops slow or failing halves only', async () => {
    modules['/api/providers/a/client.js'] = module();
    modules['/api/providers/slow/client.js'] = module(undefined, () => new Promise(() => undefined));
    modules['/api/providers/mute/client.js'] = module(() => new Promise(() => undefined));
    modules['/api/providers/no/client.js'] = module(() => false);
    modules['/api/providers/rooms/client.js'] = module();
    const list = [
      provider('slow'),
      provider('rooms', { supportedTargets: ['room'] }),
      provider('mute'),
      provider('no'),
      provider('a'),
      provider('missing'),
    ];
    const usable = await loader().usable(list, bob);
    expect(usable.map((u) => u.provider.type)).toEqual(['a']);
    const warnings = warn.mock.calls.map((call) => String(call[0]));
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/provider slow: client half failed to load \(not ready within 40 ms\)/),
        expect.stringMatching(/provider mute: canCall failed \(canCall did not answer within 40 ms\)/),
        expect.stringMatching(/provider missing: client half failed to load \(404/),
      ]),
    );
    expect(warnings).toHaveLength(3);
  });

  it('defaults to 15 s for init and 5 s for canCall', () => {
    expect(DEFAULT_CLIENT_CONNECTOR_TIMEOUTS).toEqual({ initMs: 15_000, canCallMs: 5_000 });
  });

  it('accepts only a default export with init, canCall and open', () => {
    const good = module();
    expect(clientConnectorOf(good)).toBe(good.default);
    expect(() => clientConnectorOf(null)).toThrow(/no default export/);
    expect(() => clientConnectorOf({ default: { init() {} } })).toThrow(/lacks canCall\(\), open\(\)/);
  });
});
