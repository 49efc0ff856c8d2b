import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { API, type SessionResponse } from '@parley/protocol';
import { RealtimeService } from '../../core/realtime.service';
import { LoginPage } from './login.page';

describe('LoginPage', () => {
  let http: HttpTestingController;
  const realtime = { connect: jest.fn(), disconnect: jest.fn(), unauthorized$: { subscribe: jest.fn() } };

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: RealtimeService, useValue: realtime },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function fillAndSubmit(el: HTMLElement, username: string, password: string): Promise<void> {
    const user = el.querySelector<HTMLInputElement>('[data-testid="login-username"]');
    const pass = el.querySelector<HTMLInputElement>('[data-testid="login-password"]');
    if (!user || !pass) throw new Error('login fields missing');
    user.value = username;
    user.dispatchEvent(new Event('input'));
    pass.value = password;
    pass.dispatchEvent(new Event('input'));
    el.querySelector<HTMLButtonElement>('[data-testid="login-submit"]')?.click();
  }

  it('shows the server message on 401', async () => {
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid="login-error"]')).toBeNull();

    await fillAndSubmit(el, 'alice', 'wrong');
    const req = http.expectOne(API.login);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ username: 'alice', password: 'wrong' });
    req.flush(
      { statusCode: 401, message: 'Invalid username or password', error: 'Unauthorized' },
      { status: 401, statusText: 'Unauthorized' },
    );
    await fixture.whenStable();

    const error = el.querySelector('[data-testid="login-error"]');
    expect(error?.textContent?.trim()).toBe('Invalid username or password');
    expect(realtime.connect).not.toHaveBeenCalled();
  });

  it('signs in, connects the socket and goes to the portal', async () => {
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);

    await fillAndSubmit(fixture.nativeElement as HTMLElement, 'alice', 'parley');
    const session: SessionResponse = {
      user: {
        id: 'u1',
        username: 'alice',
        displayName: 'Alice',
        avatarUrl: '/a.png',
        presence: 'available',
        email: null,
        title: null,
        groups: [],
        isAdmin: true,
      },
      token: 't',
      expiresAt: '2030-01-01T00:00:00Z',
    };
    http.expectOne(API.login).flush(session);
    await fixture.whenStable();

    expect(realtime.connect).toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('asks for both fields before calling the server', async () => {
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    el.querySelector<HTMLButtonElement>('[data-testid="login-submit"]')?.click();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="login-error"]')?.textContent).toContain('username and password');
  });
});
