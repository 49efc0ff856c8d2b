import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { API, type ChatMessage, type RoomSummary, type UserSummary } from '@parley/protocol';
import { FakeRealtime, profile } from '../testing/fakes';
import { ActivityStore } from './activity.store';
import { DirectoryStore } from './directory.store';
import { RealtimeService } from './realtime.service';
import { RoomsStore } from './rooms.store';
import { SessionService } from './session.service';

const bob: UserSummary = {
  id: 'u2',
  username: 'bob',
  displayName: 'Bob',
  avatarUrl: '/b.svg',
  presence: 'offline',
};
const room = (id: string, kind: RoomSummary['kind'], title: string): RoomSummary => ({
  id,
  kind,
  name: title.toLowerCase(),
  title,
  memberIds: ['u1', 'u2'],
  lastMessageAt: null,
});
const message = (id: string, roomId: string, createdAt: string, authorId = 'u2'): ChatMessage => ({
  id,
  roomId,
  authorId,
  body: `text ${id}`,
  createdAt,
});

describe('stores', () => {
  let http: HttpTestingController;
  let realtime: FakeRealtime;

  beforeEach(async () => {
    realtime = new FakeRealtime();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: RealtimeService, useValue: realtime },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const session = TestBed.inject(SessionService);
    const login = session.login('alice', 'parley');
    http.expectOne(API.login).flush({ user: profile(), token: 't', expiresAt: 'x' });
    await login;
  });

  afterEach(() => http.verify());

  describe('DirectoryStore', () => {
    it('loads users and applies live presence changes', async () => {
      const directory = TestBed.inject(DirectoryStore);
      const load = directory.load();
      http.expectOne(API.users).flush([profile(), bob]);
      await load;
      expect(directory.presenceOf('u2')).toBe('offline');

      realtime.push('presence.changed', { ...bob, presence: 'dnd' });
      expect(directory.users().get('u2')?.presence).toBe('dnd');
      expect(directory.presenceOf('nobody')).toBe('offline');
    });

    it('keeps the signed-in user in step with their own presence', () => {
      TestBed.inject(DirectoryStore);
      realtime.push('presence.changed', { ...profile(), presence: 'away' });
      expect(TestBed.inject(SessionService).user()?.presence).toBe('away');
    });

    it('caches profiles', async () => {
      const directory = TestBed.inject(DirectoryStore);
      const a = directory.profile('u2');
      const b = directory.profile('u2');
      http.expectOne(API.user('u2')).flush(profile({ ...bob, title: 'Designer', isAdmin: false }));
      expect(await a).toBe(await b);
      expect(directory.user('u2')?.displayName).toBe('Bob');
    });
  });

  describe('RoomsStore', () => {
    it('sorts rooms: spaces, chats, groups, then direct messages', async () => {
      const rooms = TestBed.inject(RoomsStore);
      const load = rooms.load();
      http
        .expectOne(API.rooms)
        .flush([
          room('r3', 'direct', 'Bob'),
          room('r1', 'chat', 'Town square'),
          room('r2', 'space', 'Design'),
        ]);
      await load;
      expect(rooms.rooms().map((r) => r.id)).toEqual(['r2', 'r1', 'r3']);
    });

    it('orders messages oldest first and merges live ones without duplicates', async () => {
      const rooms = TestBed.inject(RoomsStore);
      const load = rooms.load();
      http.expectOne(API.rooms).flush([room('r1', 'chat', 'Town square')]);
      await load;
      const hide = rooms.markVisible('r1');
      const page = rooms.loadMessages('r1');
      http
        .expectOne((r) => r.url === API.roomMessages('r1'))
        .flush([message('m2', 'r1', '2026-01-01T10:01:00Z'), message('m1', 'r1', '2026-01-01T10:00:00Z')]);
      await page;
      realtime.push('room.message', message('m3', 'r1', '2026-01-01T10:02:00Z'));
      realtime.push('room.message', message('m3', 'r1', '2026-01-01T10:02:00Z'));
      expect(rooms.messages('r1').map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
      expect(rooms.room('r1')?.lastMessageAt).toBe('2026-01-01T10:02:00Z');
      expect(rooms.unread().has('r1')).toBe(false);

      hide();
      realtime.push('room.message', message('m4', 'r1', '2026-01-01T10:03:00Z'));
      expect(rooms.unread().has('r1')).toBe(true);
      rooms.markVisible('r1');
      expect(rooms.unread().has('r1')).toBe(false);
    });

    it('sends over the socket and shows the acknowledged message', async () => {
      const rooms = TestBed.inject(RoomsStore);
      const sent = message('m9', 'r1', '2026-01-01T11:00:00Z', 'u1');
      realtime.request.mockResolvedValue(sent);
      await rooms.send('r1', 'hello');
      expect(realtime.request).toHaveBeenCalledWith('room.send', { roomId: 'r1', body: 'hello' });
      expect(rooms.messages('r1')).toEqual([sent]);
      // A message for a room the store does not know yet reloads the room list.
      http.expectOne(API.rooms).flush([room('r1', 'chat', 'Town square')]);
    });

    it('keeps replies in their thread and counts them once on the root', async () => {
      const rooms = TestBed.inject(RoomsStore);
      const load = rooms.load();
      http.expectOne(API.rooms).flush([room('r1', 'chat', 'Town square')]);
      await load;
      const page = rooms.loadMessages('r1');
      http
        .expectOne((r) => r.url === API.roomMessages('r1'))
        .flush([{ ...message('root', 'r1', '2026-01-01T10:00:00Z'), replyCount: 1 }]);
      await page;
      const thread = rooms.loadThread('r1', 'root');
      const req = http.expectOne(
        (r) => r.url === API.roomMessages('r1') && r.params.get('thread') === 'root',
      );
      req.flush([{ ...message('a', 'r1', '2026-01-01T10:01:00Z'), threadId: 'root' }]);
      await thread;
      const reply = { ...message('b', 'r1', '2026-01-01T10:02:00Z'), threadId: 'root' };
      realtime.push('room.message', reply);
      realtime.push('room.message', reply);
      expect(rooms.thread('root').map((m) => m.id)).toEqual(['a', 'b']);
      expect(rooms.messages('r1').map((m) => [m.id, m.replyCount])).toEqual([['root', 2]]);

      // Own reply: acknowledged, then pushed back: still counted once.
      const own = { ...message('c', 'r1', '2026-01-01T10:03:00Z', 'u1'), threadId: 'root' };
      realtime.request.mockResolvedValue(own);
      await rooms.send('r1', 'text c', 'root');
      expect(realtime.request).toHaveBeenCalledWith('room.send', {
        roomId: 'r1',
        body: 'text c',
        threadId: 'root',
      });
      realtime.push('room.message', own);
      expect(rooms.thread('root').map((m) => m.id)).toEqual(['a', 'b', 'c']);
      expect(rooms.messages('r1')[0].replyCount).toBe(3);
      // An ephemeral answer in a thread stays in the thread and is not counted.
      realtime.push('room.ephemeral', {
        ...message('e', 'r1', '2026-01-01T10:04:00Z', 'u1'),
        threadId: 'root',
        ephemeral: true,
      });
      expect(rooms.thread('root').at(-1)?.id).toBe('e');
      expect(rooms.messages('r1')[0].replyCount).toBe(3);
    });

    it('replaces a rewritten message where it is shown (a deleted recording), nothing else', async () => {
      const rooms = TestBed.inject(RoomsStore);
      const load = rooms.load();
      http.expectOne(API.rooms).flush([room('r1', 'chat', 'Town square')]);
      await load;
      const hide = rooms.markVisible('r1');
      const page = rooms.loadMessages('r1');
      http
        .expectOne((r) => r.url === API.roomMessages('r1'))
        .flush([{ ...message('root', 'r1', '2026-01-01T10:00:00Z'), replyCount: 1 }]);
      await page;
      const thread = rooms.loadThread('r1', 'root');
      const file = {
        ...message('rec', 'r1', '2026-01-01T10:01:00Z'),
        threadId: 'root',
        attachment: {
          kind: 'recording' as const,
          id: 'r-1',
          name: 'call.webm',
          mimeType: 'video/webm',
          sizeBytes: 4000,
          durationMs: 3200,
          url: API.recordingFile('r-1'),
        },
      };
      http
        .expectOne((r) => r.url === API.roomMessages('r1') && r.params.get('thread') === 'root')
        .flush([file]);
      await thread;
      hide();

      const deleted = {
        ...file,
        body: 'Recording of the call (00:03, 4 KB) deleted by Bob',
        attachment: null,
      };
      realtime.push('room.message.updated', deleted);
      expect(rooms.thread('root')).toEqual([deleted]);
      expect(rooms.messages('r1')[0].replyCount).toBe(1);
      expect(rooms.unread().has('r1')).toBe(false);
      realtime.push('room.message.updated', { ...message('other', 'r1', '2026-01-01T09:00:00Z') });
      expect(rooms.messages('r1').map((m) => m.id)).toEqual(['root']);
    });

    it('gets or creates a direct-message room', async () => {
      const rooms = TestBed.inject(RoomsStore);
      const direct = rooms.direct('u2');
      const req = http.expectOne({ method: 'POST', url: API.directRoom });
      expect(req.request.body).toEqual({ userId: 'u2' });
      req.flush(room('d1', 'direct', 'Bob'));
      await direct;
      expect(rooms.room('d1')?.title).toBe('Bob');
    });
  });

  it('forget everything when the session ends', async () => {
    const directory = TestBed.inject(DirectoryStore);
    const rooms = TestBed.inject(RoomsStore);
    directory.upsert(bob);
    rooms.receive(message('m1', 'r1', '2026-01-01T10:00:00Z'));
    http.expectOne(API.rooms).flush([room('r1', 'chat', 'Town square')]);
    jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    TestBed.inject(SessionService).handleUnauthorized();
    expect(directory.users().size).toBe(0);
    expect(rooms.rooms()).toEqual([]);
    expect(rooms.messages('r1')).toEqual([]);
  });

  describe('ActivityStore', () => {
    it('lists posts newest first, adds live and own posts once', async () => {
      const store = TestBed.inject(ActivityStore);
      const load = store.load();
      http.expectOne(API.posts).flush([
        { id: 'p1', authorId: 'u2', body: 'old', createdAt: '2026-01-01T09:00:00Z' },
        { id: 'p2', authorId: 'u2', body: 'new', createdAt: '2026-01-01T10:00:00Z' },
      ]);
      await load;
      realtime.push('post.created', {
        id: 'p3',
        authorId: 'u2',
        body: 'live',
        createdAt: '2026-01-01T11:00:00Z',
      });
      const create = store.create('mine');
      http
        .expectOne({ method: 'POST', url: API.posts })
        .flush({ id: 'p4', authorId: 'u1', body: 'mine', createdAt: '2026-01-01T12:00:00Z' });
      await create;
      realtime.push('post.created', {
        id: 'p4',
        authorId: 'u1',
        body: 'mine',
        createdAt: '2026-01-01T12:00:00Z',
      });
      expect(store.posts().map((p) => p.id)).toEqual(['p4', 'p3', 'p2', 'p1']);
    });
  });
});
