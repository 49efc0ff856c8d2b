import { Injectable, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type {
  CallHistoryResponse,
  CallInfo,
  CallParticipant,
  CallTarget,
  ProviderDescriptor,
  SocketEventName,
  SocketEvents,
  SocketRequestName,
  SocketRequests,
  UserPreferences,
  UserSummary,
} from '@parley/protocol';
import { Subject, filter, map, type Observable } from 'rxjs';
import { DEFAULT_WIDGET_CONFIG, PARLEY_WIDGET_CONFIG } from '../config/widget-config';
import type { ClientConnector, WidgetCallView, WidgetClientCall } from '../host/connector-types';
import { ParleyWidgetHost, type UsableProvider } from '../host/widget-host';
import { CallService } from './call.service';

const user = (id: string, displayName: string): UserSummary =>
  ({ id, username: id, displayName, avatarUrl: '', presence: 'available' }) as UserSummary;

const participant = (userId: string, extra: Partial<CallParticipant> = {}): CallParticipant => ({
  userId,
  state: 'joined',
  muted: false,
  cameraOff: false,
  joinedAt: '2026-01-01T00:00:00Z',
  leftAt: null,
  ...extra,
});

const groupCall = (extra: Partial<CallInfo> = {}): CallInfo => ({
  id: 'g1',
  providerType: 'webrtc',
  target: { kind: 'room', roomId: 'r1' },
  kind: 'group',
  callerId: 'host',
  ownerId: 'r1',
  state: 'active',
  participants: [participant('host'), participant('me')],
  createdAt: '2026-01-01T00:00:00Z',
  answeredAt: '2026-01-01T00:00:00Z',
  endedAt: null,
  outcome: null,
  endReason: null,
  durationSeconds: 0,
  hostId: 'host',
  title: null,
  maxParticipants: 50,
  ...extra,
});

/** A view that records what the widget asked of it. */
class FakeView implements WidgetCallView {
  readonly screenShareAllowed = true;
  participants: { ids: readonly string[]; hands: readonly string[] } | null = null;
  muted: boolean | null = null;
  rejoined = 0;
  closed = false;
  close(): void {
    this.closed = true;
  }
  setMuted(muted: boolean): void {
    this.muted = muted;
  }
  setParticipants(ids: readonly string[], hands: readonly string[]): void {
    this.participants = { ids, hands };
  }
  setLayout(): void {
    // recorded by nothing: the layout signal is checked instead
  }
  async setScreenSharing(): Promise<void> {
    // nothing to capture in jsdom
  }
  async rejoin(): Promise<void> {
    this.rejoined++;
  }
}

@Injectable()
class FakeHost extends ParleyWidgetHost {
  readonly me = signal<UserSummary | null>(user('me', 'Me'));
  readonly users = signal<ReadonlyMap<string, UserSummary>>(
    new Map([
      ['me', user('me', 'Me')],
      ['host', user('host', 'Hana Host')],
    ]),
  );
  readonly providers = signal<readonly ProviderDescriptor[]>([]);
  readonly connectedSubject = new Subject<void>();
  readonly connected$ = this.connectedSubject.asObservable();
  readonly disconnectedSubject = new Subject<void>();
  override readonly disconnected$ = this.disconnectedSubject.asObservable();
  readonly pushes = new Subject<{ name: string; data: unknown }>();
  readonly requests: { name: string; payload: unknown }[] = [];
  readonly answers = new Map<string, (payload: unknown) => unknown>();
  readonly view = new FakeView();
  opened: WidgetClientCall | null = null;

  readonly fakeConnector: ClientConnector = {
    init: () => undefined,
    canCall: () => true,
    open: (call) => {
      this.opened = call as WidgetClientCall;
      return this.view;
    },
  };

  loadUser(id: string): Promise<UserSummary> {
    return Promise.resolve(user(id, id));
  }
  usableProviders(target: CallTarget): Promise<UsableProvider[]> {
    void target;
    return Promise.resolve([]);
  }
  connector(): Promise<ClientConnector | null> {
    return Promise.resolve(this.fakeConnector);
  }
  request<K extends SocketRequestName>(
    name: K,
    payload: SocketRequests[K]['request'],
  ): Promise<SocketRequests[K]['response']> {
    return this.rawRequest(name, payload) as Promise<SocketRequests[K]['response']>;
  }
  async rawRequest(name: string, payload: unknown): Promise<unknown> {
    this.requests.push({ name, payload });
    const answer = this.answers.get(name);
    if (!answer) return {};
    return answer(payload);
  }
  events<K extends SocketEventName>(name: K): Observable<SocketEvents[K]> {
    return this.rawEvents(name) as Observable<SocketEvents[K]>;
  }
  rawEvents(name: string): Observable<unknown> {
    return this.pushes.pipe(
      filter((p) => p.name === name),
      map((p) => p.data),
    );
  }
  preferences(): Promise<UserPreferences> {
    return Promise.resolve({ lastProvider: {}, micEnabled: true, cameraEnabled: true });
  }
  updatePreferences(): Promise<UserPreferences> {
    return this.preferences();
  }
  history(): Promise<CallHistoryResponse> {
    return Promise.resolve({ entries: [] });
  }
  push<K extends SocketEventName>(name: K, data: SocketEvents[K]): void {
    this.pushes.next({ name, data });
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

describe('CallService: group calls', () => {
  let host: FakeHost;
  let calls: CallService;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        { provide: ParleyWidgetHost, useClass: FakeHost },
        { provide: PARLEY_WIDGET_CONFIG, useValue: { ...DEFAULT_WIDGET_CONFIG, endMessageMs: 50 } },
      ],
    });
    host = TestBed.inject(ParleyWidgetHost) as FakeHost;
    calls = TestBed.inject(CallService);
    calls.attachContainer(document.createElement('div'));
    host.answers.set('call.room.join', () => ({ call: groupCall(), joinInfo: {} }));
  });

  it('joins a room call: group session, tiles for the joined participants, not the host', async () => {
    await calls.joinRoom('r1');
    await settle();
    expect(host.requests.map((r) => r.name)).toContain('call.room.join');
    expect(calls.session()?.group).toBe(true);
    expect(calls.session()?.phase).toBe('active');
    expect(host.opened?.selfId).toBe('me');
    expect(host.opened?.nameOf?.('host')).toBe('Hana Host');
    expect(host.view.participants?.ids).toEqual(['host', 'me']);
    expect(calls.isHost()).toBe(false);
    expect(calls.screenShareAllowed()).toBe(true);

    // A raised hand reaches the view and the own hand state.
    host.push('call.room.updated', {
      roomId: 'r1',
      call: groupCall({ participants: [participant('host'), participant('me', { handRaisedAt: 'x' })] }),
    });
    expect(host.view.participants?.hands).toEqual(['me']);
    expect(calls.handRaised()).toBe(true);
  });

  it('shows the server refusal when the user may not join', async () => {
    host.answers.set('call.room.join', () => {
      throw new Error('You are not a member of this room');
    });
    await calls.joinRoom('r1');
    expect(calls.session()?.phase).toBe('ended');
    expect(calls.session()?.endMessage).toBe('You are not a member of this room');
  });

  it('host actions: a mute is applied locally, a removal ends the session with who did it', async () => {
    await calls.joinRoom('r1');
    await settle();
    host.push('call.moderated', { callId: 'g1', action: 'muted', byUserId: 'host' });
    await settle();
    expect(calls.muted()).toBe(true);
    expect(host.view.muted).toBe(true);
    expect(calls.notice()).toBe('Hana Host muted you.');
    expect(host.requests.some((r) => r.name === 'call.media')).toBe(true);

    host.push('call.moderated', { callId: 'g1', action: 'removed', byUserId: 'host' });
    await settle();
    expect(calls.session()?.phase).toBe('ended');
    expect(calls.session()?.endMessage).toBe('Hana Host removed you from the call');
    expect(host.view.closed).toBe(true);
  });

  it('reactions show with the sender name, then go', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
    try {
      await calls.joinRoom('r1');
      for (let i = 0; i < 10; i++) await Promise.resolve();
      host.push('call.reaction', { callId: 'g1', userId: 'host', emoji: '🎉', at: 'now' });
      expect(calls.reactions()).toEqual([expect.objectContaining({ name: 'Hana Host', emoji: '🎉' })]);
      jest.advanceTimersByTime(6000);
      expect(calls.reactions()).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('after a socket reconnection: call.join again and the view rebuilds its media', async () => {
    await calls.joinRoom('r1');
    await settle();
    host.disconnectedSubject.next();
    expect(calls.reconnecting()).toBe(true);
    host.answers.set('call.join', () => ({ call: groupCall(), joinInfo: { routerRtpCapabilities: {} } }));
    host.connectedSubject.next();
    await settle();
    expect(host.requests.filter((r) => r.name === 'call.join')).toHaveLength(1);
    expect(host.view.rejoined).toBe(1);
    expect(calls.reconnecting()).toBe(false);
    expect(calls.session()?.phase).toBe('active');
  });

  it('host: end for all ends the own session with the server reason', async () => {
    host.answers.set('call.room.join', () => ({ call: groupCall({ hostId: 'me' }), joinInfo: {} }));
    host.answers.set('call.end', () => groupCall({ state: 'ended', endReason: 'ended by Me', hostId: 'me' }));
    await calls.joinRoom('r1');
    await settle();
    expect(calls.isHost()).toBe(true);
    await calls.endForAll();
    expect(calls.session()?.endMessage).toBe('ended by Me');
  });

  it('the Record button is offered to the host only, and only when the provider records', async () => {
    host.answers.set('call.room.join', () => ({ call: groupCall({ hostId: 'me' }), joinInfo: {} }));
    const webrtc = (capabilities: ProviderDescriptor['capabilities']) =>
      ({ type: 'webrtc', capabilities }) as ProviderDescriptor;
    host.providers.set([webrtc(['audio', 'video'])]);
    await calls.joinRoom('r1');
    await settle();
    expect(calls.isHost()).toBe(true);
    expect(calls.canRecord()).toBe(false);
    host.providers.set([webrtc(['audio', 'video', 'recording'])]);
    expect(calls.canRecord()).toBe(true);
    host.push('call.updated', groupCall({ hostId: 'host' }));
    expect(calls.canRecord()).toBe(false);
  });

  it('a call started in a group message offers a Join toast; joining opens the call, an end removes it', async () => {
    const started = {
      roomId: 'r1',
      call: groupCall(),
      startedBy: user('host', 'Hana Host'),
      ring: true,
    };
    host.push('call.room.started', { ...started, ring: false });
    expect(calls.groupRings()).toEqual([]);
    host.push('call.room.started', started);
    expect(calls.groupRings()).toEqual([expect.objectContaining({ roomId: 'r1' })]);
    await calls.joinGroupRing('g1');
    await settle();
    expect(calls.groupRings()).toEqual([]);
    expect(calls.session()?.phase).toBe('active');

    host.push('call.room.started', { ...started, call: groupCall({ id: 'g2' }) });
    host.push('call.room.updated', { roomId: 'r1', call: groupCall({ id: 'g2', state: 'ended' }) });
    expect(calls.groupRings()).toEqual([]);
  });
});
