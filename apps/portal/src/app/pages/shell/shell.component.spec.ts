import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { API, type RoomSummary } from '@parley/protocol';
import { RealtimeService } from '../../core/realtime.service';
import { SessionService } from '../../core/session.service';
import { FakeRealtime, profile } from '../../testing/fakes';
import { ShellComponent } from './shell.component';
import { provideParleyWidget } from '@parley/widget';
import { PortalWidgetHost } from '../../core/widget-host';

async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await fixture.whenStable();
}

const townSquare: RoomSummary = {
  id: 'r1',
  kind: 'chat',
  name: 'town-square',
  title: 'Town square',
  memberIds: ['u1', 'u2'],
  lastMessageAt: null,
};

describe('ShellComponent', () => {
  let http: HttpTestingController;
  let realtime: FakeRealtime;

  async function render(
    isAdmin: boolean,
  ): Promise<{ fixture: ComponentFixture<ShellComponent>; el: HTMLElement }> {
    realtime = new FakeRealtime();
    TestBed.configureTestingModule({
      providers: [
        provideParleyWidget(PortalWidgetHost),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: RealtimeService, useValue: realtime },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const login = TestBed.inject(SessionService).login('alice', 'parley');
    http.expectOne(API.login).flush({ user: profile({ isAdmin }), token: 't', expiresAt: 'x' });
    await login;

    const fixture = TestBed.createComponent(ShellComponent);
    http.expectOne(API.users).flush([profile({ isAdmin })]);
    http.expectOne(API.rooms).flush([townSquare]);
    http.expectOne(API.providers).flush([]);
    await settle(fixture);
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  afterEach(() => http.verify());

  it('shows the room list and the Admin link for administrators', async () => {
    const { el } = await render(true);
    const link = el.querySelector('[data-testid="room-link-town-square"]');
    expect(link?.textContent).toContain('Town square');
    // Rooms are linked by their slug (`name`).
    expect(link?.getAttribute('href')).toBe('/rooms/town-square');
    expect(el.querySelector('[data-testid="admin-link"]')?.getAttribute('href')).toBe('/admin');
  });

  it('hides the Admin link from other users', async () => {
    const { el } = await render(false);
    expect(el.querySelector('[data-testid="admin-link"]')).toBeNull();
  });

  it('sets presence through the presence menu', async () => {
    const { fixture, el } = await render(false);
    expect(el.querySelector('[data-testid="presence-u1"]')?.getAttribute('data-presence')).toBe('available');
    el.querySelector<HTMLButtonElement>('[data-testid="presence-menu"]')?.click();
    await settle(fixture);

    realtime.request.mockResolvedValue({ ...profile(), presence: 'dnd' });
    el.querySelector<HTMLButtonElement>('[data-testid="presence-option-dnd"]')?.click();
    await settle(fixture);

    expect(realtime.request).toHaveBeenCalledWith('presence.set', { presence: 'dnd' });
    expect(el.querySelector('[data-testid="presence-u1"]')?.getAttribute('data-presence')).toBe('dnd');
    expect(el.querySelector('[role="menu"]')).toBeNull();
  });

  it('shows an error when presence cannot be changed', async () => {
    const { fixture, el } = await render(false);
    el.querySelector<HTMLButtonElement>('[data-testid="presence-menu"]')?.click();
    await settle(fixture);
    realtime.request.mockRejectedValue(new Error('Not connected to the server.'));
    el.querySelector<HTMLButtonElement>('[data-testid="presence-option-away"]')?.click();
    await settle(fixture);
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Not connected to the server.');
  });
});
