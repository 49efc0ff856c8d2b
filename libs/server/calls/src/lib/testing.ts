/**
 * Test helpers (not exported from the library's index): the call services over fakes of what
 * they need from other libraries (users, rooms, providers) and of the history tables, with every
 * push and history row recorded. No database, no sockets, no timers but the services' own.
 */
import { ForbiddenException, NotFoundException } from '@nestjs/common';
import type { ConnectorCall, ConnectorUser, PreparedCall } from '@parley/connector-sdk';
import type { CallInfo, Presence, RoomKind, RoomSummary, UserProfile } from '@parley/protocol';
import type { ProviderRegistry } from '@parley/server-conferencing';
import type { RoomService, UserService } from '@parley/server-directory';
import type { CallTransition } from './call-machine';
import type { CallsModuleOptions } from './calls.options';
import { CallAdmission } from './services/call-admission';
import { CallEvents, type CallPush } from './services/call-events.service';
import type { CallImAccounts } from './services/call-im-accounts.service';
import type { CallHistory } from './services/call-history.service';
import { CallLifecycle } from './services/call-lifecycle.service';
import { CallService } from './services/call.service';
import { GroupCalls } from './services/group-calls.service';
import { LiveCallFactory } from './services/live-call.factory';
import { LiveCalls } from './services/live-calls';
import { OneToOneCalls } from './services/one-to-one-calls.service';

/** alice, bob, carol (available), dave (dnd), erin (offline). */
export const TEST_USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];

/** Room `r1` (chat: alice, bob, carol), `dm` (direct: alice, bob). */
export const TEST_ROOMS: Record<string, { kind: RoomKind; memberIds: string[] }> = {
  r1: { kind: 'chat', memberIds: ['alice', 'bob', 'carol'] },
  dm: { kind: 'direct', memberIds: ['alice', 'bob'] },
};

export interface TestCallsOptions extends CallsModuleOptions {
  /** The provider's `joinInfo` fails with this message. */
  joinInfoFails?: string;
  /** Posting the call's thread root fails. */
  postFails?: boolean;
  /** The provider's `prepare` (recorded in `hooks` as `prepare <call id>`); none by default. */
  prepare?: (call: ConnectorCall) => PreparedCall | Promise<PreparedCall>;
}

export function profileOf(id: string, presence: Presence = 'available'): UserProfile {
  const name = id[0].toUpperCase() + id.slice(1);
  return {
    id,
    username: id,
    displayName: name,
    avatarUrl: `/api/users/${id}/avatar`,
    presence,
    email: `${id}@parley.test`,
    title: null,
    groups: [],
    isAdmin: false,
  };
}

function fakeUsers(presence: Map<string, Presence>): UserService {
  const find = async (id: string) => {
    if (!TEST_USERS.includes(id)) throw new NotFoundException(`User ${id} not found`);
    return profileOf(id, presence.get(id) ?? 'available');
  };
  return { profile: find, findEntity: find, toSummary: (p: UserProfile) => p } as unknown as UserService;
}

function fakeRooms(options: TestCallsOptions, posts: { roomId: string; body: string }[]): RoomService {
  return {
    getFor: async (roomId: string, userId: string): Promise<RoomSummary> => {
      const room = TEST_ROOMS[roomId];
      if (!room) throw new NotFoundException();
      if (!room.memberIds.includes(userId)) throw new ForbiddenException();
      return { id: roomId, name: roomId, title: `Room ${roomId}`, lastMessageAt: null, ...room };
    },
    post: async (roomId: string, _authorId: string, body: string) => {
      if (options.postFails) throw new Error('database is locked');
      posts.push({ roomId, body });
      return { id: `m${posts.length}` };
    },
  } as unknown as RoomService;
}

/** `webrtc` (one-to-one and rooms) and `dial` (one-to-one only), with every hook recorded. */
function fakeRegistry(options: TestCallsOptions, hooks: string[]): ProviderRegistry {
  const record =
    (name: string) =>
    (call: ConnectorCall, user?: ConnectorUser | object): void =>
      void hooks.push(user && 'id' in user ? `${name} ${call.id} ${user.id}` : `${name} ${call.id}`);
  const definition = {
    title: 'Built-in WebRTC',
    hooks: Object.fromEntries(
      ['onCallCreated', 'onCallStarted', 'onCallEnded', 'onCallJoined', 'onCallLeft'].map((h) => [
        h,
        record(h),
      ]),
    ),
  };
  return {
    usable: () => [
      { type: 'webrtc', supportedTargets: ['user', 'room', 'space'] },
      { type: 'dial', supportedTargets: ['user'] },
    ],
    connector: (type: string) => {
      if (type !== 'webrtc' && type !== 'dial') throw new Error(`No provider ${type}`);
      return { definition, context: { publicUrl: 'https://parley.test' } };
    },
    prepare: async (_type: string, call: ConnectorCall) => {
      if (!options.prepare) return {};
      hooks.push(`prepare ${call.id}`);
      return options.prepare(call);
    },
    joinInfo: async (
      _type: string,
      call: ConnectorCall,
      user: ConnectorUser,
      prepared: PreparedCall = {},
    ) => {
      if (options.joinInfoFails) throw new Error(options.joinInfoFails);
      return { room: call.id, user: user.id, ...prepared };
    },
  } as unknown as ProviderRegistry;
}

/** The call services wired as the module wires them, over fakes. Call `close()` after each test. */
export function setUpCalls(options: TestCallsOptions = {}) {
  const presence = new Map<string, Presence>([
    ['dave', 'dnd'],
    ['erin', 'offline'],
  ]);
  const pushes: CallPush[] = [];
  const history: { callId: string; transitions: CallTransition[] }[] = [];
  const hooks: string[] = [];
  const posts: { roomId: string; body: string }[] = [];
  const events = new CallEvents();
  events.pushes$.subscribe((push) => pushes.push(push));
  const recorder = {
    record: (info: CallInfo, transitions: CallTransition[]) =>
      void history.push({ callId: info.id, transitions }),
  } as unknown as CallHistory;
  const registry = fakeRegistry(options, hooks);
  const store = new LiveCalls();
  const factory = new LiveCallFactory(fakeUsers(presence), registry, options);
  const lifecycle = new CallLifecycle(store, registry, recorder, events, options);
  const admission = new CallAdmission();
  // No provider of these fakes declares an IM field (call-im-accounts.service.spec.ts covers them).
  const imAccounts = { forCall: async () => undefined } as unknown as CallImAccounts;
  const oneToOne = new OneToOneCalls(lifecycle, store, factory, recorder, events, admission, imAccounts);
  const groups = new GroupCalls(
    lifecycle,
    store,
    factory,
    fakeRooms(options, posts),
    registry,
    recorder,
    events,
    admission,
  );
  const calls = new CallService(lifecycle, oneToOne, groups);
  return {
    calls,
    lifecycle,
    admission,
    oneToOne,
    groups,
    factory,
    store,
    events,
    presence,
    pushes,
    hooks,
    posts,
    /** The pushes of one event, as `[userIds, data]`. */
    pushed: (event: string) => pushes.filter((p) => p.event === event).map((p) => [p.userIds, p.data]),
    /** The history rows written for a call, by type. */
    historyOf: (callId: string) =>
      history.filter((h) => h.callId === callId).flatMap((h) => h.transitions.map((t) => t.type)),
    close: () => lifecycle.onModuleDestroy(),
  };
}

export type TestCalls = ReturnType<typeof setUpCalls>;

/** The services set up afresh for each test of the `describe` it is called in, fake timers on. */
export function callsForEachTest(options: TestCallsOptions = {}): TestCalls {
  const t = {} as TestCalls;
  beforeEach(() => {
    jest.useFakeTimers();
    Object.assign(t, setUpCalls(options));
  });
  afterEach(() => {
    t.close();
    jest.useRealTimers();
  });
  return t;
}
