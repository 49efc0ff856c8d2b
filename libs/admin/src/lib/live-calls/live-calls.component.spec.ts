import type { AdminLiveCalls } from '@parley/protocol';
import { API } from '@parley/protocol';
import { renderComponent } from '../testing';
import { LIVE_CALLS_REFRESH_MS, LiveCallsComponent } from './live-calls.component';

const LIVE: AdminLiveCalls = {
  node: 'node-a',
  calls: [
    {
      id: 'call-1',
      kind: 'group',
      state: 'active',
      providerType: 'webrtc',
      room: { id: 'room-1', title: 'Town square' },
      title: null,
      createdAt: '2026-12-04T09:00:00.000Z',
      participants: [
        {
          userId: 'u-ada',
          displayName: 'Ada',
          state: 'joined',
          sendKbps: 812.4,
          recvKbps: 95,
          lossPct: 31.25,
          connection: 'relay',
        },
        {
          userId: 'u-bob',
          displayName: 'Bob',
          state: 'joined',
          sendKbps: null,
          recvKbps: null,
          lossPct: null,
          connection: null,
        },
      ],
    },
  ],
};

describe('LiveCallsComponent', () => {
  type View = Awaited<ReturnType<typeof renderComponent<LiveCallsComponent>>>;

  async function settle(view: View, done: () => boolean): Promise<void> {
    for (let i = 0; i < 50 && !done(); i++) {
      await new Promise((resolve) => setTimeout(resolve));
      await view.fixture.whenStable();
    }
    if (!done()) throw new Error('the view did not update');
  }

  afterEach(() => jest.useRealTimers());

  it('lists the calls with each participant, and the stats detail on demand', async () => {
    const view = await renderComponent(LiveCallsComponent, {});
    view.http.expectOne(API.adminCalls).flush(LIVE);
    await settle(view, () => view.el.querySelectorAll('[data-testid="live-call-participant"]').length === 2);
    const [ada, bob] = Array.from(
      view.el.querySelectorAll<HTMLElement>('[data-testid="live-call-participant"]'),
    );
    expect(view.byId('live-call')?.textContent).toContain('Town square');
    expect(view.byId('live-calls-node')?.textContent).toContain('node-a');
    expect(ada?.textContent).toContain('812 kbit/s');
    expect(ada?.querySelector('[data-testid="participant-loss"]')?.textContent?.trim()).toBe('31.3 %');
    expect(ada?.querySelector('[data-testid="participant-connection"]')?.textContent?.trim()).toBe(
      'Relay (TURN)',
    );
    expect(bob?.querySelector('[data-testid="participant-connection"]')?.textContent?.trim()).toBe('—');

    const details = ada?.querySelector<HTMLButtonElement>('[data-testid="participant-details"]');
    details?.click();
    view.http
      .expectOne(API.adminCallParticipantStats('call-1', 'u-ada'))
      .flush({ callId: 'call-1', userId: 'u-ada', stats: { transports: [{ candidateType: 'relay' }] } });
    await settle(view, () => view.byId('participant-stats') !== null);
    expect(view.byId('participant-stats')?.textContent).toContain('"candidateType": "relay"');
    expect(details?.getAttribute('aria-expanded')).toBe('true');
    details?.click();
    await settle(view, () => view.byId('participant-stats') === null);
  });

  it('shows a refused detail and fetches the list again every few seconds', async () => {
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'queueMicrotask', 'nextTick', 'setImmediate'] });
    const view = await renderComponent(LiveCallsComponent, {});
    view.http.expectOne(API.adminCalls).flush(LIVE);
    await settle(view, () => view.byId('participant-details') !== null);
    view.byId('participant-details')?.click();
    view.http
      .expectOne(API.adminCallParticipantStats('call-1', 'u-ada'))
      .flush({ message: 'No media of u-ada in call call-1' }, { status: 404, statusText: 'Not Found' });
    await settle(view, () => view.byId('participant-stats-error') !== null);
    expect(view.byId('participant-stats-error')?.textContent).toContain('No media of u-ada');

    jest.advanceTimersByTime(LIVE_CALLS_REFRESH_MS);
    view.http.expectOne(API.adminCalls).flush({ node: 'node-a', calls: [] });
    await settle(view, () => view.byId('live-calls-empty') !== null);
    expect(view.byId('live-calls-empty')?.textContent).toContain('No live calls');
    view.fixture.destroy();
    jest.advanceTimersByTime(LIVE_CALLS_REFRESH_MS * 2);
    view.http.expectNone(API.adminCalls);
  });
});
