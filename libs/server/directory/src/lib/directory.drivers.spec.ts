/**
 * The same suite on SQLite and PostgreSQL: migrations, seed, every repository query, the main
 * service paths, then reverting the migrations. Keeps driver-specific SQL out of the directory.
 */
import { DataSource } from 'typeorm';
import { DEFAULT_ADMINS_GROUP } from './directory.options';
import { MessageEntity, RoomEntity } from './entities';
import {
  GroupRepository,
  MessageRepository,
  PostRepository,
  RoomRepository,
  UserRepository,
} from './repositories';
import { AuthService } from './services/auth.service';
import { ImAccountFields } from './services/im-account-fields.service';
import { ImAccountService } from './services/im-account.service';
import { PostService } from './services/post.service';
import { RoomResolver } from './services/room-resolver.service';
import { RoomService } from './services/room.service';
import { DEMO_PASSWORD, DEMO_USERS, SeedService } from './services/seed.service';
import { UserService } from './services/user.service';
import {
  createTestDatabase,
  createTestDirectory,
  type TestDatabase,
  type TestDirectory,
  type TestDriver,
} from './testing';

const TABLES = [
  'users',
  'groups',
  'memberships',
  'rooms',
  'room_members',
  'messages',
  'posts',
  'im_accounts',
];

describe.each<TestDriver>(['sqlite', 'postgres'])('directory on %s', (driver) => {
  let database: TestDatabase;
  let directory: TestDirectory;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    directory = await createTestDirectory(database);
    dataSource = directory.dataSource;
  }, 120_000);

  afterAll(async () => {
    await directory?.close();
    await database?.close();
  });

  const get = <T>(type: new (...args: never[]) => T): T => directory.module.get(type);
  /** Which of the directory's tables exist. */
  const existingTables = async (): Promise<string[]> => {
    const runner = dataSource.createQueryRunner();
    try {
      const exists = await Promise.all(TABLES.map((table) => runner.hasTable(table)));
      return TABLES.filter((_, index) => exists[index]);
    } finally {
      await runner.release();
    }
  };

  it('runs every migration and creates every table', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await existingTables()).toEqual(TABLES);
  });

  it('seeds the demo directory once', async () => {
    const users = get(UserRepository);
    expect(await users.count()).toBe(DEMO_USERS.length);
    expect(await get(SeedService).seed()).toBe(false);
    expect(await users.count()).toBe(DEMO_USERS.length);
  });

  it('queries users and groups', async () => {
    const users = get(UserRepository);
    const groups = get(GroupRepository);
    const alice = await users.findByUsername('alice');
    const bob = await users.findByUsername('bob');
    expect(alice && bob).toBeTruthy();
    if (!alice || !bob) return;
    expect((await users.findById(alice.id))?.username).toBe('alice');
    expect((await users.findByIds([alice.id, bob.id])).map((u) => u.username).sort()).toEqual([
      'alice',
      'bob',
    ]);
    expect((await users.list()).map((u) => u.displayName)).toEqual(
      [...DEMO_USERS.map((u) => u.displayName)].sort((a, b) => a.localeCompare(b)),
    );
    expect(await groups.groupNamesOf(alice.id)).toContain(DEFAULT_ADMINS_GROUP);
    expect(await groups.groupNamesOf(bob.id)).not.toContain(DEFAULT_ADMINS_GROUP);

    const crew = await groups.findOrCreate('crew/test');
    expect((await groups.findOrCreate('crew/test')).id).toBe(crew.id);
    await groups.setMemberships(bob.id, [crew.id]);
    expect(await groups.groupNamesOf(bob.id)).toEqual(['crew/test']);
    await groups.addMember(crew.id, bob.id);
    await users.update(bob.id, { presence: 'dnd' });
    expect((await users.findById(bob.id))?.presence).toBe('dnd');
  });

  it('queries rooms, members and messages', async () => {
    const users = get(UserRepository);
    const rooms = get(RoomRepository);
    const messages = get(MessageRepository);
    const alice = await users.findByUsername('alice');
    const frank = await users.findByUsername('frank');
    if (!alice || !frank) throw new Error('seed missing');

    const aliceRooms = await rooms.roomsOf(alice.id);
    expect(aliceRooms.map((r) => r.kind).sort()).toEqual(['chat', 'direct']);
    const town = await rooms.findByName('town-square');
    const design = await rooms.findByName('design');
    if (!town || !design) throw new Error('seed missing');
    expect(await rooms.isMember(town.id, alice.id)).toBe(true);
    expect(await rooms.isMember(design.id, alice.id)).toBe(false);
    const members = await rooms.memberIds([town.id, design.id]);
    expect(members.get(town.id)).toHaveLength(6);
    expect(members.get(design.id)).toHaveLength(3);

    const last = await messages.lastMessageAt([town.id, design.id]);
    expect(last.get(town.id)).toMatch(/^\d{4}-\d\d-\d\dT/);
    const page = await messages.list(town.id, 2);
    expect(page).toHaveLength(2);
    expect(page[0].createdAt > page[1].createdAt).toBe(true);
    const older = await messages.list(town.id, 50, page[1].createdAt);
    expect(older.every((m) => m.createdAt < page[1].createdAt)).toBe(true);
    expect(older.length).toBeGreaterThan(0);

    const empty = await rooms.create(
      {
        id: crypto.randomUUID(),
        kind: 'space',
        name: 'empty-space',
        title: 'Empty',
        createdAt: new Date().toISOString(),
      },
      [alice.id, frank.id, alice.id],
    );
    expect((await rooms.memberIds([empty.id])).get(empty.id)).toHaveLength(2);
    expect((await messages.lastMessageAt([empty.id])).has(empty.id)).toBe(false);

    // Threads: replies stay out of the root list, are counted per root in one query, list per thread.
    const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s)).toISOString();
    const root = await messages.create({
      id: crypto.randomUUID(),
      roomId: empty.id,
      authorId: alice.id,
      body: 'root',
      createdAt: at(1),
    });
    const attachment = {
      kind: 'recording' as const,
      id: 'rec',
      name: 'call.webm',
      mimeType: 'video/webm',
      sizeBytes: 1234,
      durationMs: 5000,
      url: '/api/recordings/rec/file',
    };
    for (const [i, author] of [alice.id, frank.id, alice.id].entries()) {
      await messages.create({
        id: crypto.randomUUID(),
        roomId: empty.id,
        authorId: author,
        body: `reply ${i}`,
        createdAt: at(2 + i),
        threadId: root.id,
        attachment: i === 2 ? attachment : null,
      });
    }
    expect((await messages.list(empty.id, 50)).map((m) => m.id)).toEqual([root.id]);
    expect((await messages.list(empty.id, 50))[0]).toMatchObject({ threadId: null, attachment: null });
    expect(await messages.replyCounts([root.id, page[0].id])).toEqual(new Map([[root.id, 3]]));
    const replies = await messages.list(empty.id, 2, undefined, root.id);
    expect(replies.map((m) => m.body)).toEqual(['reply 2', 'reply 1']);
    expect(replies[0].attachment).toEqual(attachment);
    expect((await messages.list(empty.id, 50, at(3), root.id)).map((m) => m.body)).toEqual(['reply 0']);
    expect((await messages.findById(replies[1].id))?.threadId).toBe(root.id);
    await expect(rooms.create({ ...empty, id: crypto.randomUUID() }, [])).rejects.toThrow();
  });

  it('resolves rooms by id or slug', async () => {
    const resolver = get(RoomResolver);
    const town = await resolver.resolve('town-square');
    expect(town.name).toBe('town-square');
    expect((await resolver.resolve(town.id)).id).toBe(town.id);
    await expect(resolver.resolve('no-such-room')).rejects.toThrow(
      'Room "no-such-room" not found: no room has this id or slug',
    );
  });

  it("stores users' IM accounts: one per provider, replaced, read per provider, deleted", async () => {
    const users = get(UserRepository);
    const accounts = get(ImAccountService);
    get(ImAccountFields).use((type) =>
      type === 'chat' ? { title: 'Chat', field: { label: 'Chat handle', pattern: '^[a-z.]+$' } } : null,
    );
    const [carol, dave] = await Promise.all([users.findByUsername('carol'), users.findByUsername('dave')]);
    if (!carol || !dave) throw new Error('seed missing');
    await accounts.set(carol.id, 'chat', ' carol.d ');
    await accounts.set(carol.id, 'chat', 'carol.diaz');
    await accounts.set(dave.id, 'chat', 'dave');
    expect(await accounts.list(carol.id)).toEqual([{ providerType: 'chat', value: 'carol.diaz' }]);
    expect(await accounts.valuesFor('chat', [carol.id, dave.id, carol.id])).toEqual(
      new Map([
        [carol.id, 'carol.diaz'],
        [dave.id, 'dave'],
      ]),
    );
    await accounts.remove(dave.id, 'chat');
    expect(await accounts.list(dave.id)).toEqual([]);
    await expect(accounts.remove(dave.id, 'chat')).rejects.toThrow('You have no account for chat');
  });

  it('queries posts', async () => {
    const posts = get(PostRepository);
    const all = await posts.list(50);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.map((p) => p.createdAt)).toEqual([...all.map((p) => p.createdAt)].sort().reverse());
    expect(await posts.list(50, all[0].createdAt)).toHaveLength(all.length - 1);
  });

  it('runs the services end to end', async () => {
    const session = await get(AuthService).login('carol', DEMO_PASSWORD);
    const carol = session.user;
    const roomService = get(RoomService);
    const rooms = await roomService.listFor(carol.id);
    expect(rooms.map((r) => r.name)).toEqual(
      expect.arrayContaining(['town-square', 'design', 'release-crew']),
    );
    const town = rooms.find((r) => r.name === 'town-square');
    if (!town) throw new Error('town-square missing');
    const sent = await roomService.send(town.id, carol.id, '  hello from the drivers spec ');
    expect(sent.body).toBe('hello from the drivers spec');
    expect((await roomService.messagesFor(town.id, carol.id, 1))[0].id).toBe(sent.id);
    const reply = await roomService.post(town.id, carol.id, 'a reply', { threadId: sent.id });
    expect(await roomService.messagesFor(town.id, carol.id, 50, undefined, sent.id)).toEqual([reply]);
    expect((await roomService.messagesFor(town.id, carol.id, 1))[0]).toMatchObject({
      id: sent.id,
      replyCount: 1,
    });
    expect((await roomService.listFor(carol.id))[0].id).toBe(town.id);

    const dave = (await get(UserService).list()).find((u) => u.username === 'dave');
    if (!dave) throw new Error('dave missing');
    const dm = await roomService.getOrCreateDirect(carol.id, dave.id);
    expect(dm).toMatchObject({ kind: 'direct', title: 'Dave Okafor' });
    expect((await roomService.getOrCreateDirect(dave.id, carol.id)).id).toBe(dm.id);
    expect((await get(PostService).create(carol.id, 'a post')).body).toBe('a post');
    expect(await dataSource.getRepository(MessageEntity).countBy({ roomId: town.id })).toBeGreaterThan(4);
    expect(await dataSource.getRepository(RoomEntity).countBy({ kind: 'direct' })).toBe(2);
  });

  it('reverts every migration', async () => {
    let reverted = 0;
    while (
      (await dataSource
        .query(`SELECT COUNT(*) AS n FROM migrations`)
        .then((r: { n: string }[]) => Number(r[0].n))) > 0
    ) {
      await dataSource.undoLastMigration();
      reverted += 1;
    }
    expect(reverted).toBeGreaterThan(0);
    expect(await existingTables()).toEqual([]);
    // And back up again, so a revert is not a one-way street.
    await dataSource.runMigrations();
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
