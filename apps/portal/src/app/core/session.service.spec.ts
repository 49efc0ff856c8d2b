import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { API } from '@parley/protocol';
import { FakeRealtime, profile } from '../testing/fakes';
import { ApiClient } from './api-client';
import { authInterceptor } from './auth.interceptor';
import { adminGuard } from './guards';
import { RealtimeService } from './realtime.service';
import { SessionService } from './session.service';

describe('SessionService', () => {
  let http: HttpTestingController;
  let realtime: FakeRealtime;
  let session: SessionService;
  let router: Router;

  beforeEach(() => {
    realtime = new FakeRealtime();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: RealtimeService, useValue: realtime },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    session = TestBed.inject(SessionService);
    router = TestBed.inject(Router);
    jest.spyOn(router, 'navigate').mockResolvedValue(true);
    jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
  });

  afterEach(() => http.verify());

  it('restores the session once and connects the socket', async () => {
    const first = session.restore();
    const second = session.restore();
    http.expectOne(API.session).flush({ user: profile(), token: 't', expiresAt: '2030-01-01T00:00:00Z' });
    await expect(first).resolves.toMatchObject({ id: 'u1' });
    await expect(second).resolves.toMatchObject({ id: 'u1' });
    expect(session.user()?.username).toBe('alice');
    expect(session.isAdmin()).toBe(true);
    expect(realtime.connect).toHaveBeenCalledTimes(1);
  });

  it('resolves null when signed out', async () => {
    const restored = session.restore();
    http
      .expectOne(API.session)
      .flush({ statusCode: 401, message: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });
    await expect(restored).resolves.toBeNull();
    expect(router.navigate).not.toHaveBeenCalled();
  });

  it('logs out: server call, socket closed, back to /login', async () => {
    const login = session.login('alice', 'parley');
    http.expectOne(API.login).flush({ user: profile(), token: 't', expiresAt: '2030-01-01T00:00:00Z' });
    await login;
    const logout = session.logout();
    http.expectOne({ method: 'POST', url: API.logout }).flush(null);
    await logout;
    expect(session.user()).toBeNull();
    expect(realtime.disconnect).toHaveBeenCalled();
    expect(router.navigateByUrl).toHaveBeenCalledWith('/login');
  });

  it('redirects to /login when an API call answers 401', async () => {
    const rooms = TestBed.inject(ApiClient).rooms();
    http
      .expectOne(API.rooms)
      .flush({ statusCode: 401, message: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });
    await expect(rooms).rejects.toMatchObject({ status: 401 });
    expect(router.navigate).toHaveBeenCalledWith(['/login'], expect.anything());
  });

  it('redirects to /login when the socket handshake is refused', () => {
    realtime.unauthorizedSubject.next();
    expect(router.navigate).toHaveBeenCalledWith(['/login'], expect.anything());
    expect(realtime.disconnect).toHaveBeenCalled();
  });

  describe('adminGuard', () => {
    const run = () =>
      TestBed.runInInjectionContext(() =>
        adminGuard({} as never, { url: '/admin' } as never),
      ) as Promise<unknown>;

    it('lets administrators in', async () => {
      const result = run();
      http.expectOne(API.session).flush({ user: profile({ isAdmin: true }), token: 't', expiresAt: 'x' });
      await expect(result).resolves.toBe(true);
    });

    it('sends other users to the page that says it is for administrators only', async () => {
      const result = run();
      http.expectOne(API.session).flush({ user: profile({ isAdmin: false }), token: 't', expiresAt: 'x' });
      expect(router.serializeUrl((await result) as never)).toBe('/admin-only');
    });
  });
});
