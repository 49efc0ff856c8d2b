import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { createTestDatabase, createTestDirectory, type TestDatabase, type TestDirectory } from '../testing';
import { DirectoryEvents, type DirectoryEvent } from './directory-events.service';
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

  it('gets or creates direct rooms', async () => {
    const dm = await rooms.getOrCreateDirect(ids.erin, ids.frank);
    expect(dm).toMatchObject({ kind: 'direct', title: 'Frank Moreau', lastMessageAt: null });
    expect(events).toEqual([{ type: 'room.created', roomId: dm.id, memberIds: [ids.erin, ids.frank] }]);
    expect((await rooms.getOrCreateDirect(ids.frank, ids.erin)).id).toBe(dm.id);
    expect((await rooms.getOrCreateDirect(ids.alice, ids.bob)).name).toBe(directRoomName(ids.alice, ids.bob));
    await expect(rooms.getOrCreateDirect(ids.erin, ids.erin)).rejects.toBeInstanceOf(BadRequestException);
    await expect(rooms.getOrCreateDirect(ids.erin, 'nobody')).rejects.toBeInstanceOf(NotFoundException);
  });
});
