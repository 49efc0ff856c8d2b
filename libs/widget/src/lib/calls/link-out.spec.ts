import { TestBed } from '@angular/core/testing';
import type { ProviderCapability, ProviderDescriptor } from '@parley/protocol';
import { CallWindowComponent } from '../call-window/call-window.component';
import { FakeHost, groupCall, setUpCallService, settle } from '../../testing/fake-widget-host';
import type { CallService } from './call.service';

const provider = (
  type: string,
  capabilities: ProviderCapability[],
  extra: Partial<ProviderDescriptor> = {},
) =>
  ({
    type,
    title: 'Meetly',
    capabilities,
    supportedTargets: ['user', 'room'],
    ...extra,
  }) as ProviderDescriptor;

const MEDIA_CONTROLS = ['call-mute', 'call-camera', 'call-hand', 'call-screen', 'call-react'];

describe('the call window honours the provider: capabilities, link-out mode', () => {
  let host: FakeHost;
  let calls: CallService;

  beforeEach(() => {
    ({ host, calls } = setUpCallService());
  });

  async function joinAsHost(providerType: string, joinInfo: Record<string, unknown>) {
    host.answers.set('call.room.join', () => ({
      call: groupCall({ providerType, hostId: 'me', threadId: 't1' }),
      joinInfo,
    }));
    await calls.joinRoom('r1', providerType);
    await settle();
  }

  async function renderedTestIds(): Promise<string[]> {
    const fixture = TestBed.createComponent(CallWindowComponent);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    return [...el.querySelectorAll('footer [data-testid]')].map((b) => b.getAttribute('data-testid') ?? '');
  }

  it('a capability-less provider gets no mic, camera, hand, screen, reactions, chat nor "Mute all"', async () => {
    host.providers.set([provider('bare', [])]);
    await joinAsHost('bare', {});
    expect([...calls.capabilities()]).toEqual([]);
    const ids = await renderedTestIds();
    for (const id of [...MEDIA_CONTROLS, 'call-chat-toggle', 'call-mute-all']) expect(ids).not.toContain(id);
    expect(ids).toEqual(
      expect.arrayContaining(['call-hangup', 'call-participants-toggle', 'call-fullscreen']),
    );
  });

  it('a provider declaring everything gets every control', async () => {
    host.providers.set([
      provider('full', ['audio', 'video', 'screenShare', 'chat', 'raiseHand', 'reactions']),
    ]);
    await joinAsHost('full', {});
    const ids = await renderedTestIds();
    expect(ids).toEqual(
      expect.arrayContaining([...MEDIA_CONTROLS, 'call-chat-toggle', 'call-mute-all', 'call-layout']),
    );
  });

  const URL_OF_MEETING = 'https://bbb.example.test/join?meetingID=g1&checksum=x';

  it('link-out "frame": the widget shows the meeting page in the call window, not the client half', async () => {
    const media = document.createElement('div');
    calls.attachContainer(media);
    host.providers.set([provider('bbb', [], { linkOut: 'frame' })]);
    await joinAsHost('bbb', { url: URL_OF_MEETING });
    expect(host.opened).toBeNull(); // the client half's open was not called
    expect(calls.session()?.phase).toBe('active');
    const frame = media.querySelector<HTMLIFrameElement>('[data-testid="call-link-out-frame"]');
    expect(frame?.src).toBe(URL_OF_MEETING);
    expect(calls.linkOut()).toBe('frame');
    await calls.hangup();
    expect(media.querySelector('[data-testid="call-link-out"]')).toBeNull();
    expect(host.requests.map((r) => r.name)).toContain('call.hangup');
  });

  it('link-out "tab": the meeting page opens in a new tab, with a link in the window', async () => {
    const media = document.createElement('div');
    calls.attachContainer(media);
    const open = jest.spyOn(window, 'open').mockReturnValue(null);
    try {
      host.providers.set([provider('bbb', [], { linkOut: 'tab' })]);
      await joinAsHost('bbb', { url: URL_OF_MEETING });
      expect(open).toHaveBeenCalledWith(URL_OF_MEETING, '_blank', 'noopener');
      const link = media.querySelector<HTMLAnchorElement>('[data-testid="call-link-out-open"]');
      expect(link?.href).toBe(URL_OF_MEETING);
      expect(calls.session()?.phase).toBe('active');
      const ids = await renderedTestIds();
      for (const id of MEDIA_CONTROLS) expect(ids).not.toContain(id);
    } finally {
      open.mockRestore();
    }
  });

  it('link-out without a meeting URL in the join info: the call ends with a sentence', async () => {
    host.providers.set([provider('bbb', [], { linkOut: 'frame' })]);
    await joinAsHost('bbb', {});
    expect(calls.session()?.phase).toBe('ended');
    expect(calls.session()?.endMessage).toBe('The call provider sent no meeting page to open.');
  });
});
