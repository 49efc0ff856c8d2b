import { signal } from '@angular/core';
import type { ProviderDescriptor, SocketEventName, SocketEvents, UserProfile } from '@parley/protocol';
import { Subject, filter, map, type Observable } from 'rxjs';
import type { RealtimeService } from '../core/realtime.service';

/** A stand-in for {@link RealtimeService}: tests push events and answer requests. */
export class FakeRealtime implements Pick<
  RealtimeService,
  | 'connect'
  | 'disconnect'
  | 'request'
  | 'events'
  | 'connected$'
  | 'disconnected$'
  | 'unauthorized$'
  | 'status'
> {
  private readonly pushes = new Subject<{ name: SocketEventName; data: unknown }>();
  readonly connectedSubject = new Subject<void>();
  readonly disconnectedSubject = new Subject<void>();
  readonly unauthorizedSubject = new Subject<void>();
  readonly connected$ = this.connectedSubject.asObservable();
  readonly disconnected$ = this.disconnectedSubject.asObservable();
  readonly unauthorized$ = this.unauthorizedSubject.asObservable();
  readonly status = signal<'connected'>('connected').asReadonly();
  readonly connect = jest.fn();
  readonly disconnect = jest.fn();
  readonly request = jest.fn() as jest.MockedFunction<RealtimeService['request']>;

  events<K extends SocketEventName>(name: K): Observable<SocketEvents[K]> {
    return this.pushes.pipe(
      filter((e) => e.name === name),
      map((e) => e.data as SocketEvents[K]),
    );
  }

  push<K extends SocketEventName>(name: K, data: SocketEvents[K]): void {
    this.pushes.next({ name, data });
  }
}

export function profile(overrides: Partial<UserProfile> = {}): UserProfile {
  return {
    id: 'u1',
    username: 'alice',
    displayName: 'Alice Martin',
    avatarUrl: '/avatars/u1.svg',
    presence: 'available',
    email: 'alice@parley.example',
    title: 'Platform administrator',
    groups: ['platform/administrators'],
    isAdmin: true,
    ...overrides,
  };
}

export function providerDescriptor(overrides: Partial<ProviderDescriptor> = {}): ProviderDescriptor {
  const type = overrides.type ?? 'jitsi';
  return {
    type,
    title: type === 'jitsi' ? 'Jitsi Meet' : type,
    version: '1.0.0',
    description: `${type} calls`,
    capabilities: ['audio', 'video'],
    supportedTargets: ['user', 'room', 'space'],
    clientModuleUrl: `/api/providers/${type}/client.js?v=1.0.0-1`,
    order: 0,
    imAccount: null,
    ...overrides,
  };
}

/** A client-half module (`{ default: ClientConnector }`) whose methods are jest mocks. */
export function fakeClientModule(overrides: Partial<Record<'init' | 'canCall' | 'open', jest.Mock>> = {}): {
  default: { init: jest.Mock; canCall: jest.Mock; open: jest.Mock };
} {
  return {
    default: {
      init: overrides.init ?? jest.fn(),
      canCall: overrides.canCall ?? jest.fn(() => true),
      open: overrides.open ?? jest.fn(() => ({ close: jest.fn() })),
    },
  };
}
