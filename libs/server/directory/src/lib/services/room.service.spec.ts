import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { createTestDatabase, createTestDirectory, type TestDatabase, type TestDirectory } from '../testing';
import type { MessageAttachment } from '@parley/protocol';
import { DirectoryEvents, type DirectoryEvent } from './directory-events.service';
import { RoomCommands } from './room-commands.service';
import { directRoomName, RoomService } from './room.service';
import { UserService } from './user.service';

describe('RoomService', () => {
  let database: TestDatabase;
  let directory: TestDirectory;
  let rooms: RoomService;
  let ids: Record<string, string>;
  let events: DirectoryEvent[];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    directory = await createTestDirectory(database);
    rooms = directory.module.get(RoomService);
    ids = Object.fromEntries((await directory.module.get(UserService).list()).map((u) => [u.username, u.id]));
    directory.module.get(DirectoryEvents).events$.subscribe((event) => events.push(event));
  });
  beforeEach(() => (events = []));
  afterAll(async () => {
    await directory.close();
    await database.close();
  });

  const roomNamed = async (name: string, userId: string) => {
    const room = (await rooms.listFor(userId)).find((r) => r.name === name);
    if (!room) throw new Error(`${name} missing`);
    return room;
  };

  it('lists the rooms of a user with members, titles and last activity', async () => {
    const list = await rooms.listFor(ids.alice);
    expect(list.map((r) => r.kind).sort()).toEqual(['chat', 'direct']);
    const dm = list.find((r) => r.kind === 'direct');
    expect(dm).toMatchObject({ title: 'Bob Nguyen', name: directRoomName(ids.alice, ids.bob) });
    expect(dm?.memberIds.sort()).toEqual([ids.alice, ids.bob].sort());
    expect(list.every((r) => r.lastMessageAt !== null)).toBe(true);
    const bobView = (await rooms.listFor(ids.bob)).find((r) => r.kind === 'direct');
    expect(bobView?.title).toBe('Alice Martin');
  });

  it('answers 404 for unknown rooms and 403 for non-members', async () => {
    const design = await roomNamed('design', ids.bob);
    await expect(rooms.getFor('unknown', ids.alice)).rejects.toBeInstanceOf(NotFoundException);
    await expect(rooms.getFor(design.id, ids.alice)).rejects.toBeInstanceOf(ForbiddenException);
    await expect(rooms.messagesFor(design.id, ids.alice)).rejects.toBeInstanceOf(ForbiddenException);
    await expect(rooms.send(design.id, ids.alice, 'hi')).rejects.toBeInstanceOf(ForbiddenException);
    expect((await rooms.getFor(design.id, ids.bob)).memberIds).toHaveLength(3);
  });

  it('sends messages, announces them and pages backwards', async () => {
    const design = await roomNamed('design', ids.erin);
    const sent = await rooms.send(design.id, ids.erin, 'new message');
    expect(events).toEqual([{ type: 'room.message', message: sent }]);
    const [newest, ...rest] = await rooms.messagesFor(design.id, ids.bob, 3);
    expect(newest).toEqual(sent);
    expect(rest).toHaveLength(2);
    const older = await rooms.messagesFor(design.id, ids.bob, 200, rest[1].createdAt);
    expect(older.every((m) => m.createdAt < rest[1].createdAt)).toBe(true);
    await expect(rooms.send(design.id, ids.erin, '   ')).rejects.toBeInstanceOf(BadRequestException);
    await expect(rooms.send(design.id, ids.erin, 'x'.repeat(4001))).rejects.toBeInstanceOf(
      BadRequestException,
    );
  });

  it('creates rooms only under a slug: it is their address in URLs', async () => {
    await expect(rooms.createRoom('chat', 'Town Square 2', 'Town Square 2', [ids.alice])).rejects.toThrow(
      'Room name "Town Square 2" is not a valid address: use lowercase letters, digits and dashes',
    );
    const room = await rooms.createRoom('chat', 'town-square-2', 'Town Square 2', [ids.alice]);
    expect((await rooms.getFor(room.id, ids.alice)).name).toBe('town-square-2');
  });

  it('gets or creates direct rooms', async () => {
    const dm = await rooms.getOrCreateDirect(ids.erin, ids.frank);
    expect(dm).toMatchObject({ kind: 'direct', title: 'Frank Moreau', lastMessageAt: null });
    expect(events).toEqual([{ type: 'room.created', roomId: dm.id, memberIds: [ids.erin, ids.frank] }]);
    expect((await rooms.getOrCreateDirect(ids.frank, ids.erin)).id).toBe(dm.id);
    expect((await rooms.getOrCreateDirect(ids.alice, ids.bob)).name).toBe(directRoomName(ids.alice, ids.bob));
    await expect(rooms.getOrCreateDirect(ids.erin, ids.erin)).rejects.toBeInstanceOf(BadRequestException);
    await expect(rooms.getOrCreateDirect(ids.erin, 'nobody')).rejects.toBeInstanceOf(NotFoundException);
  });

  describe('threads', () => {
    const attachment: MessageAttachment = {
      kind: 'recording',
      id: 'rec-1',
      name: 'call-2026-11-22-1930.webm',
      mimeType: 'video/webm',
      sizeBytes: 2_500_000,
      durationMs: 65_000,
      url: '/api/recordings/rec-1/file',
    };

    it('lists roots with their reply counts and a thread with its replies', async () => {
      const design = await roomNamed('design', ids.bob);
      const root = await rooms.send(design.id, ids.bob, 'a thread root');
      expect(root).toMatchObject({ threadId: null, replyCount: 0, attachment: null });
      const first = await rooms.send(design.id, ids.carol, 'first reply', root.id);
      const second = await rooms.send(design.id, ids.erin, 'second reply', root.id);
      expect(first).toMatchObject({ threadId: root.id, attachment: null });
      expect(first.replyCount).toBeUndefined();
      expect(events).toEqual([
        { type: 'room.message', message: root },
        { type: 'room.message', message: first },
        { type: 'room.message', message: second },
      ]);

      const stream = await rooms.messagesFor(design.id, ids.erin);
      expect(stream.every((m) => !m.threadId)).toBe(true);
      expect(stream.find((m) => m.id === root.id)).toEqual({ ...root, replyCount: 2 });
      expect(stream.slice(1).every((m) => m.replyCount === 0)).toBe(true);

      // Newest first (same millisecond: by id, as the query orders them).
      const [newest, oldest] = [first, second].sort(
        (x, y) => y.createdAt.localeCompare(x.createdAt) || y.id.localeCompare(x.id),
      );
      const thread = await rooms.messagesFor(design.id, ids.erin, 50, undefined, root.id);
      expect(thread).toEqual([newest, oldest]);
      expect(await rooms.messagesFor(design.id, ids.erin, 1, undefined, root.id)).toEqual([newest]);
      expect(await rooms.messagesFor(design.id, ids.erin, 50, newest.createdAt, root.id)).toEqual(
        newest.createdAt === oldest.createdAt ? [] : [oldest],
      );
    });

    it('refuses threads of other rooms, replies as roots, and non-members', async () => {
      const design = await roomNamed('design', ids.bob);
      const town = await roomNamed('town-square', ids.bob);
      const root = await rooms.send(design.id, ids.bob, 'root');
      const reply = await rooms.send(design.id, ids.bob, 'reply', root.id);
      await expect(rooms.messagesFor(town.id, ids.bob, 50, undefined, root.id)).rejects.toThrow(
        new NotFoundException(`Thread ${root.id} not found in this room`),
      );
      await expect(rooms.messagesFor(design.id, ids.bob, 50, undefined, 'nope')).rejects.toBeInstanceOf(
        NotFoundException,
      );
      await expect(rooms.messagesFor(design.id, ids.bob, 50, undefined, reply.id)).rejects.toThrow(
        /is a reply, not a thread/,
      );
      await expect(rooms.send(design.id, ids.bob, 'x', reply.id)).rejects.toBeInstanceOf(BadRequestException);
      await expect(rooms.send(town.id, ids.bob, 'x', root.id)).rejects.toBeInstanceOf(NotFoundException);
      await expect(rooms.messagesFor(design.id, ids.alice, 50, undefined, root.id)).rejects.toBeInstanceOf(
        ForbiddenException,
      );
      await expect(rooms.send(design.id, ids.alice, 'x', root.id)).rejects.toBeInstanceOf(ForbiddenException);
    });

    it('answers slash commands in a thread ephemerally, in the thread', async () => {
      const design = await roomNamed('design', ids.bob);
      const root = await rooms.send(design.id, ids.bob, 'root');
      directory.module.get(RoomCommands).register('echo', ({ rest }) => `echo: ${rest}`);
      events = [];
      const answer = await rooms.send(design.id, ids.carol, '/echo hi', root.id);
      expect(answer).toMatchObject({ ephemeral: true, threadId: root.id, body: 'echo: hi' });
      expect(events).toEqual([{ type: 'room.ephemeral', userId: ids.carol, message: answer }]);
      expect(await rooms.messagesFor(design.id, ids.carol, 50, undefined, root.id)).toEqual([]);
    });

    it('posts for other modules: roots, replies with attachments, no commands, no membership check', async () => {
      const design = await roomNamed('design', ids.bob);
      const root = await rooms.post(design.id, ids.bob, '📞 Call started: Design');
      const file = await rooms.post(design.id, ids.bob, 'Recording', { threadId: root.id, attachment });
      const raw = await rooms.post(design.id, ids.alice, '/echo not a command', { threadId: root.id });
      expect(root).toMatchObject({ threadId: null, replyCount: 0 });
      expect(file).toMatchObject({ threadId: root.id, attachment });
      expect(raw).toMatchObject({ authorId: ids.alice, body: '/echo not a command' });
      expect(raw.ephemeral).toBeUndefined();
      expect(events.map((e) => e.type)).toEqual(['room.message', 'room.message', 'room.message']);
      const thread = await rooms.messagesFor(design.id, ids.bob, 50, undefined, root.id);
      expect(thread.map((m) => m.id).sort()).toEqual([file.id, raw.id].sort());
      expect(thread.find((m) => m.id === file.id)?.attachment).toEqual(attachment);
      expect((await rooms.messagesFor(design.id, ids.bob)).find((m) => m.id === root.id)?.replyCount).toBe(2);
      await expect(rooms.post('unknown', ids.bob, 'x')).rejects.toBeInstanceOf(NotFoundException);
      await expect(rooms.post(design.id, ids.bob, '  ')).rejects.toBeInstanceOf(BadRequestException);
      await expect(rooms.post(design.id, ids.bob, 'x', { threadId: file.id })).rejects.toBeInstanceOf(
        BadRequestException,
      );
    });

    it('rewrites a stored message for other modules (new body, attachment gone) and announces it', async () => {
      const design = await roomNamed('design', ids.bob);
      const root = await rooms.post(design.id, ids.bob, '📞 Call started: Rewrite');
      const file = await rooms.post(design.id, ids.bob, 'Recording', { threadId: root.id, attachment });
      await rooms.post(design.id, ids.carol, 'thanks', { threadId: root.id });
      events = [];
      const rewritten = await rooms.rewrite(file.id, 'Recording deleted');
      expect(rewritten).toEqual({ ...file, body: 'Recording deleted', attachment: null });
      expect(events).toEqual([{ type: 'room.message.updated', message: rewritten }]);
      const thread = await rooms.messagesFor(design.id, ids.bob, 50, undefined, root.id);
      expect(thread.find((m) => m.id === file.id)).toEqual(rewritten);
      // A root keeps its reply count.
      expect(await rooms.rewrite(root.id, 'Call ended')).toMatchObject({ body: 'Call ended', replyCount: 2 });
      events = [];
      expect(await rooms.rewrite('gone', 'x')).toBeNull();
      expect(events).toEqual([]);
      await expect(rooms.rewrite(file.id, ' ')).rejects.toBeInstanceOf(BadRequestException);
    });
  });
});
