import { TestBed } from '@angular/core/testing';
import type { CallLobbyEvent, GuestLink } from '@parley/protocol';
import { FakeHost, groupCall, participant, setUpCallService, settle } from '../../testing/fake-widget-host';
import type { CallService } from '../calls/call.service';
import { CallLobbyComponent } from './call-lobby.component';

const lobby = (...names: string[]): CallLobbyEvent => ({
  callId: 'g1',
  waiting: names.map((displayName, i) => ({ id: `guest-${i}`, displayName, since: '2026-01-01T00:00:00Z' })),
});

const link: GuestLink = {
  id: 'l1',
  roomId: 'r1',
  callId: 'g1',
  token: 'abc.def',
  path: '/guest/abc.def',
  createdBy: 'me',
  createdAt: '2026-01-01T00:00:00Z',
  expiresAt: '2999-01-01T00:00:00Z',
  revoked: false,
};

describe('CallLobbyComponent (the host’s lobby in the call window)', () => {
  let host: FakeHost;
  let calls: CallService;

  async function render(hostId: string) {
    ({ host, calls } = setUpCallService());
    host.answers.set('call.room.join', () => ({ call: groupCall({ hostId }), joinInfo: {} }));
    host.answers.set('call.lobby.get', () => lobby('Gina'));
    host.answers.set('call.guests.links', () => []);
    await calls.joinRoom('r1');
    const fixture = TestBed.createComponent(CallLobbyComponent);
    fixture.componentRef.setInput('callId', 'g1');
    fixture.detectChanges();
    await settle();
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const q = (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    return { fixture, el, q };
  }

  it('shows "N waiting" to the host with Admit, Deny and Admit all, and follows the pushes', async () => {
    const { fixture, el, q } = await render('me');
    expect(q('lobby-waiting')?.textContent).toContain('1 waiting');
    host.answers.set('call.lobby.admit', () => lobby());
    (q('lobby-admit') as HTMLButtonElement).click();
    await settle();
    fixture.detectChanges();
    expect(host.requests.at(-1)).toEqual({
      name: 'call.lobby.admit',
      payload: { callId: 'g1', guestId: 'guest-0' },
    });
    expect(q('lobby-waiting')).toBeNull();
    host.push('call.lobby.updated', lobby('Ann', 'Ben'));
    fixture.detectChanges();
    expect(el.querySelectorAll('[data-testid="lobby-guest"]')).toHaveLength(2);
    host.answers.set('call.lobby.admitAll', () => lobby());
    q('lobby-admit-all')?.click();
    await settle();
    expect(host.requests.at(-1)?.name).toBe('call.lobby.admitAll');
    // Another call's lobby is not this one's.
    host.push('call.lobby.updated', { ...lobby('Zed'), callId: 'other' });
    fixture.detectChanges();
    expect(q('lobby-waiting')).toBeNull();
  });

  it('a member who is not the host sees who waits but cannot admit', async () => {
    const { q } = await render('host');
    expect(q('lobby-waiting')?.textContent).toContain('1 waiting');
    expect(q('lobby-admit')).toBeNull();
    expect(q('lobby-admit-all')).toBeNull();
  });

  it('creates, shows and revokes the guest link; a refusal is shown', async () => {
    const { fixture, q } = await render('me');
    host.answers.set('call.guests.link', () => link);
    q('guest-link-create')?.click();
    await settle();
    fixture.detectChanges();
    expect((q('guest-link-url') as HTMLInputElement).value).toBe(`${location.origin}/guest/abc.def`);
    host.answers.set('call.guests.revoke', () => ({ ...link, revoked: true }));
    q('guest-link-revoke')?.click();
    await settle();
    fixture.detectChanges();
    expect(q('guest-link-url')).toBeNull();
    host.answers.set('call.guests.link', () => {
      throw new Error('Guest access is turned off on this server.');
    });
    q('guest-link-create')?.click();
    await settle();
    fixture.detectChanges();
    expect(q('lobby-problem')?.textContent).toContain('turned off');
  });

  it('knows a guest from their participant (the window then shows no lobby and no chat)', async () => {
    ({ host, calls } = setUpCallService());
    host.answers.set('call.room.join', () => ({
      call: groupCall({
        participants: [participant('host'), participant('me', { guest: { displayName: 'Me' } })],
      }),
      joinInfo: {},
    }));
    await calls.joinRoom('r1');
    await settle();
    expect(calls.isGuest()).toBe(true);
  });
});
