/**
 * Test doubles for the widget's call specs: a {@link ParleyWidgetHost} whose socket is a pair of
 * subjects (requests answered by `answers`, pushes sent with `push`) and a client view that records
 * what it was asked. Unit tests only: the product talks to a real socket.
 */
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
import type { ClientConnector, WidgetCallView, WidgetClientCall } from '../lib/host/connector-types';
import { ParleyWidgetHost, type UsableProvider } from '../lib/host/widget-host';
import { CallService } from '../lib/calls/call.service';
import { DEFAULT_WIDGET_CONFIG, PARLEY_WIDGET_CONFIG } from '../lib/config/widget-config';

export const user = (id: string, displayName: string): UserSummary =>
  ({ id, username: id, displayName, avatarUrl: '', presence: 'available' }) as UserSummary;

export const participant = (userId: string, extra: Partial<CallParticipant> = {}): CallParticipant => ({
  userId,
  state: 'joined',
  muted: false,
  cameraOff: false,
  joinedAt: '2026-01-01T00:00:00Z',
  leftAt: null,
  ...extra,
});

export const groupCall = (extra: Partial<CallInfo> = {}): CallInfo => ({
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

/** A one-to-one call from `me` to `bob`, ringing unless `extra` says otherwise. */
export const directCall = (extra: Partial<CallInfo> = {}): CallInfo => ({
  id: 'c1',
  providerType: 'webrtc',
  target: { kind: 'user', userId: 'bob' },
  kind: 'one-to-one',
  callerId: 'me',
  ownerId: 'me',
  state: 'ringing',
  participants: [participant('me'), participant('bob', { state: 'invited', joinedAt: null })],
  createdAt: '2026-01-01T00:00:00Z',
  answeredAt: null,
  endedAt: null,
  outcome: null,
  endReason: null,
  durationSeconds: 0,
  hostId: null,
  title: null,
  maxParticipants: 2,
  ...extra,
});

/** A view that records what the widget asked of it. */
export class FakeView implements WidgetCallView {
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
export class FakeHost extends ParleyWidgetHost {
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

export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

/** The widget's CallService over a {@link FakeHost} (end messages last 50 ms), with a container. */
export function setUpCallService(): { host: FakeHost; calls: CallService } {
  TestBed.configureTestingModule({
    providers: [
      { provide: ParleyWidgetHost, useClass: FakeHost },
      { provide: PARLEY_WIDGET_CONFIG, useValue: { ...DEFAULT_WIDGET_CONFIG, endMessageMs: 50 } },
    ],
  });
  const host = TestBed.inject(ParleyWidgetHost) as FakeHost;
  const calls = TestBed.inject(CallService);
  calls.attachContainer(document.createElement('div'));
  return { host, calls };
}
