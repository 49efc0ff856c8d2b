import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { API, type CallTarget } from '@parley/protocol';
import { FakeRealtime, fakeClientModule, profile, providerDescriptor } from '../testing/fakes';
import {
  CLIENT_CONNECTOR_TIMEOUTS,
  CLIENT_MODULE_IMPORTER,
  ClientConnectorLoader,
} from './client-connector-loader';
import { ProvidersStore } from './providers.store';
import { RealtimeService } from './realtime.service';
import { SessionService } from './session.service';

const jitsi = providerDescriptor({ type: 'jitsi', order: 1 });
const webrtc = providerDescriptor({ type: 'webrtc', title: 'Built-in', order: 0 });
const room: CallTarget = { kind: 'room', roomId: 'r1' };

describe('providers', () => {
  let http: HttpTestingController;
  let realtime: FakeRealtime;
  let modules: Map<string, unknown>;
  let importer: jest.Mock<Promise<unknown>, [string]>;

  beforeEach(async () => {
    realtime = new FakeRealtime();
    modules = new Map();
    importer = jest.fn(async (url: string) => {
      const module = modules.get(new URL(url).pathname);
      if (module instanceof Error) throw module;
      if (!module) throw new Error(`404 ${url}`);
      return module;
    });
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([{ path: 'login', children: [] }]),
        { provide: RealtimeService, useValue: realtime },
        { provide: CLIENT_MODULE_IMPORTER, useValue: importer },
        { provide: CLIENT_CONNECTOR_TIMEOUTS, useValue: { initMs: 50, canCallMs: 50 } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const session = TestBed.inject(SessionService);
    const login = session.login('alice', 'parley');
    http.expectOne(API.login).flush({ user: profile(), token: 't', expiresAt: 'x' });
    await login;
  });

  afterEach(() => http.verify());

  describe('ProvidersStore', () => {
    it('loads the list once, in the admins order, and replaces it on every push', async () => {
      const store = TestBed.inject(ProvidersStore);
      const load = store.load();
      http.expectOne(API.providers).flush([jitsi, webrtc]);
      await load;
      expect(store.loaded()).toBe(true);
      expect(store.providers().map((p) => p.type)).toEqual(['webrtc', 'jitsi']);
      await store.load();
      http.expectNone(API.providers);

      realtime.push('providers.changed', { providers: [jitsi] });
      expect(store.providers().map((p) => p.type)).toEqual(['jitsi']);
      realtime.push('providers.changed', { providers: [] });
      expect(store.providers()).toEqual([]);
    });

    it('keeps a push that arrives while the first fetch is in flight', async () => {
      const store = TestBed.inject(ProvidersStore);
      const load = store.load();
      realtime.push('providers.changed', { providers: [webrtc] });
      http.expectOne(API.providers).flush([jitsi, webrtc]);
      await load;
      expect(store.providers().map((p) => p.type)).toEqual(['webrtc']);
    });

    it('refetches after a reconnection and forgets everything at sign-out', async () => {
      const store = TestBed.inject(ProvidersStore);
      const load = store.load();
      http.expectOne(API.providers).flush([jitsi]);
      await load;
      realtime.connectedSubject.next();
      http.expectOne(API.providers).flush([jitsi, webrtc]);
      await Promise.resolve();
      await Promise.resolve();
      expect(store.providers()).toHaveLength(2);

      const logout = TestBed.inject(SessionService).logout();
      http.expectOne(API.logout).flush(null);
      await logout;
      expect(store.providers()).toEqual([]);
      expect(store.loaded()).toBe(false);
    });
  });

  describe('ClientConnectorLoader', () => {
    let warn: jest.SpyInstance;
    beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)));
    afterEach(() => warn.mockRestore());

    it('imports each client half once, runs init with the context, then canCall per target', async () => {
      const module = fakeClientModule();
      modules.set('/api/providers/jitsi/client.js', module);
      const loader = TestBed.inject(ClientConnectorLoader);

      const usable = await loader.usable([jitsi], room);
      expect(usable.map((u) => u.provider.type)).toEqual(['jitsi']);
      expect(usable[0]?.connector).toBe(module.default);
      await loader.usable([jitsi], { kind: 'user', userId: 'u2' });

      expect(importer).toHaveBeenCalledTimes(1);
      expect(importer.mock.calls[0]?.[0]).toBe(`http://localhost${jitsi.clientModuleUrl}`);
      expect(module.default.init).toHaveBeenCalledTimes(1);
      const context = module.default.init.mock.calls[0][0];
      expect(context.provider).toBe(jitsi);
      expect(context.user).toEqual(expect.objectContaining({ id: 'u1', username: 'alice' }));
      expect(context.serverUrl).toBe('http://localhost');
      expect(module.default.canCall).toHaveBeenNthCalledWith(1, room);
      expect(module.default.canCall).toHaveBeenNthCalledWith(2, { kind: 'user', userId: 'u2' });

      const events: unknown[] = [];
      loader.events$.subscribe((e) => events.push(e));
      context.emit({ type: 'joined' });
      expect(events).toEqual([{ provider: 'jitsi', event: { type: 'joined' } }]);

      const ice = context.iceConfig();
      http.expectOne(API.iceConfig).flush({ iceServers: [], iceTransportPolicy: 'all', expiresAt: null });
      await expect(ice).resolves.toEqual(expect.objectContaining({ iceTransportPolicy: 'all' }));
    });

    it('loads the new module when the client URL changes (settings changed)', async () => {
      modules.set('/api/providers/jitsi/client.js', fakeClientModule());
      const loader = TestBed.inject(ClientConnectorLoader);
      await loader.usable([jitsi], room);
      await loader.usable([{ ...jitsi, clientModuleUrl: '/api/providers/jitsi/client.js?v=1.0.0-2' }], room);
      expect(importer).toHaveBeenCalledTimes(2);
    });

    it.each([
      ['the module fails to load', () => new Error('network down'), /failed to load \(network down\)/],
      ['there is no default export', () => ({ other: 1 }), /no default export/],
      [
        'the default export is incomplete',
        () => ({ default: { init: jest.fn() } }),
        /lacks canCall\(\), open\(\)/,
      ],
      [
        'init throws',
        () =>
          fakeClientModule({
            init: jest.fn(() => {
              throw new Error('no token');
            }),
          }),
        /no token/,
      ],
      [
        'init rejects',
        () => fakeClientModule({ init: jest.fn(async () => Promise.reject(new Error('401'))) }),
        /401/,
      ],
      [
        'init never settles',
        () => fakeClientModule({ init: jest.fn(() => new Promise(() => undefined)) }),
        /within 50 ms/,
      ],
      [
        'canCall throws',
        () =>
          fakeClientModule({
            canCall: jest.fn(() => {
              throw new Error('boom');
            }),
          }),
        /canCall failed \(boom\)/,
      ],
      [
        'canCall never answers',
        () => fakeClientModule({ canCall: jest.fn(() => new Promise(() => undefined)) }),
        /canCall did not answer/,
      ],
    ])('drops a provider when %s, keeps the others', async (_case, broken, message) => {
      modules.set('/api/providers/jitsi/client.js', broken());
      modules.set('/api/providers/webrtc/client.js', fakeClientModule());
      const loader = TestBed.inject(ClientConnectorLoader);
      const usable = await loader.usable([webrtc, jitsi], room);
      expect(usable.map((u) => u.provider.type)).toEqual(['webrtc']);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(message));
      expect(warn.mock.calls[0]?.[0]).toContain('provider jitsi');
    });

    it('leaves out providers that decline the target or do not support its kind', async () => {
      const declining = fakeClientModule({ canCall: jest.fn(async () => false) });
      const roomsOnlyModule = fakeClientModule();
      modules.set('/api/providers/jitsi/client.js', declining);
      modules.set('/api/providers/webrtc/client.js', roomsOnlyModule);
      const loader = TestBed.inject(ClientConnectorLoader);
      const roomsOnly = { ...webrtc, supportedTargets: ['room' as const] };
      const bob: CallTarget = { kind: 'user', userId: 'u2' };

      expect((await loader.usable([roomsOnly, jitsi], room)).map((u) => u.provider.type)).toEqual(['webrtc']);
      expect(await loader.usable([roomsOnly, jitsi], bob)).toEqual([]);
      expect(declining.default.canCall).toHaveBeenCalledWith(bob);
      expect(roomsOnlyModule.default.canCall).not.toHaveBeenCalledWith(bob);
      expect(warn).not.toHaveBeenCalled();
    });
  });
});
