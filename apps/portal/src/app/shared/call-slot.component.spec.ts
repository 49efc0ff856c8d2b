import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { API } from '@parley/protocol';
import { CLIENT_MODULE_IMPORTER } from '../core/client-connector-loader';
import { ProvidersStore } from '../core/providers.store';
import { RealtimeService } from '../core/realtime.service';
import { SessionService } from '../core/session.service';
import { FakeRealtime, fakeClientModule, profile, providerDescriptor } from '../testing/fakes';
import { CallSlotComponent, type CallSlotName, type CallTarget } from './call-slot.component';
import { provideParleyWidget } from '@parley/widget';
import { PortalWidgetHost } from '../core/widget-host';

@Component({
  imports: [CallSlotComponent],
  template: `<parley-call-slot [slot]="slot()" [target]="target()" />`,
})
class HostComponent {
  readonly slot = signal<CallSlotName>('popover');
  readonly target = signal<CallTarget>({ kind: 'user', userId: 'u42' });
}

const jitsi = providerDescriptor({ type: 'jitsi', title: 'Jitsi Meet', order: 0 });
const other = providerDescriptor({ type: 'other', title: 'Other', order: 1 });

describe('CallSlotComponent', () => {
  let realtime: FakeRealtime;
  let modules: Map<string, unknown>;

  beforeEach(async () => {
    realtime = new FakeRealtime();
    modules = new Map([
      ['/api/providers/jitsi/client.js', fakeClientModule()],
      ['/api/providers/other/client.js', fakeClientModule()],
    ]);
    TestBed.configureTestingModule({
      providers: [
        provideParleyWidget(PortalWidgetHost),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: RealtimeService, useValue: realtime },
        {
          provide: CLIENT_MODULE_IMPORTER,
          useValue: async (url: string) => modules.get(new URL(url).pathname),
        },
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    const login = TestBed.inject(SessionService).login('alice', 'parley');
    http.expectOne(API.login).flush({ user: profile(), token: 't', expiresAt: 'x' });
    await login;
    TestBed.inject(ProvidersStore);
  });

  const slotOf = (fixture: ComponentFixture<HostComponent>) =>
    (fixture.nativeElement as HTMLElement).querySelector('parley-call-slot') as HTMLElement;
  const buttons = (fixture: ComponentFixture<HostComponent>) =>
    [...slotOf(fixture).querySelectorAll<HTMLButtonElement>('[data-testid="call-button"]')].map((b) => [
      b.dataset['provider'],
      b.textContent?.trim(),
    ]);
  /** Lets the loader's promises and the re-render settle. */
  const settle = async (fixture: ComponentFixture<HostComponent>) => {
    await fixture.whenStable();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await fixture.whenStable();
  };

  it('names the slot and the target and is empty without providers', async () => {
    const fixture = TestBed.createComponent(HostComponent);
    await settle(fixture);
    const slot = slotOf(fixture);
    expect(slot.getAttribute('data-call-slot')).toBe('popover');
    expect(slot.getAttribute('data-call-target-kind')).toBe('user');
    expect(slot.getAttribute('data-call-user-id')).toBe('u42');
    expect(slot.hasAttribute('data-call-room-id')).toBe(false);
    expect(slot.querySelectorAll('[data-testid="call-button"]').length).toBe(0);
  });

  it('follows changes of slot and target', async () => {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.componentInstance.slot.set('room-header');
    fixture.componentInstance.target.set({ kind: 'space', roomId: 'r7' });
    await settle(fixture);
    const slot = slotOf(fixture);
    expect(slot.getAttribute('data-call-slot')).toBe('room-header');
    expect(slot.getAttribute('data-call-target-kind')).toBe('space');
    expect(slot.getAttribute('data-call-room-id')).toBe('r7');
    expect(slot.hasAttribute('data-call-user-id')).toBe(false);
  });

  it('shows one button for one provider, a pulldown for several, and follows providers.changed live', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fixture = TestBed.createComponent(HostComponent);
    realtime.push('providers.changed', { providers: [jitsi, other] });
    await settle(fixture);
    // Several providers: one main button (the default = first in the admins' order) + a pulldown.
    expect(buttons(fixture)).toEqual([['jitsi', 'Call with Jitsi Meet']]);
    const toggle = slotOf(fixture).querySelector<HTMLButtonElement>('[data-testid="call-provider-toggle"]');
    expect(toggle).not.toBeNull();
    toggle?.click();
    await settle(fixture);
    const options = [...slotOf(fixture).querySelectorAll('[role="menuitemradio"]')].map((o) =>
      o.getAttribute('data-testid'),
    );
    expect(options).toEqual(['call-provider-option-jitsi', 'call-provider-option-other']);

    realtime.push('providers.changed', { providers: [other] });
    await settle(fixture);
    expect(buttons(fixture)).toEqual([['other', 'Call with Other']]);
    expect(slotOf(fixture).querySelector('[data-testid="call-provider-toggle"]')).toBeNull();

    // A broken client half never takes the others down.
    modules.set(
      '/api/providers/jitsi/client.js',
      fakeClientModule({ init: jest.fn(() => Promise.reject(new Error('x'))) }),
    );
    realtime.push('providers.changed', {
      providers: [{ ...jitsi, clientModuleUrl: `${jitsi.clientModuleUrl}-2` }, other],
    });
    await settle(fixture);
    expect(buttons(fixture)).toEqual([['other', 'Call with Other']]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('provider jitsi'));
    warn.mockRestore();
  });

  it('offers no call to oneself', async () => {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.componentInstance.target.set({ kind: 'user', userId: 'u1' });
    TestBed.inject(ProvidersStore);
    realtime.push('providers.changed', { providers: [jitsi] });
    await settle(fixture);
    expect(buttons(fixture)).toEqual([]);
    fixture.componentInstance.target.set({ kind: 'user', userId: 'u2' });
    await settle(fixture);
    expect(buttons(fixture)).toEqual([['jitsi', 'Call with Jitsi Meet']]);
  });
});
