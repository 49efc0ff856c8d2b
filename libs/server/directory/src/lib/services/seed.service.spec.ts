import { UserRepository } from '../repositories';
import { createTestDatabase, createTestDirectory, type TestDatabase, type TestDirectory } from '../testing';
import { AuthService } from './auth.service';
import { PostService } from './post.service';
import { RoomService } from './room.service';
import { DEMO_LOGINS, DEMO_USERS, SeedService } from './seed.service';

describe('SeedService', () => {
  let database: TestDatabase;
  let directory: TestDirectory;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    directory = await createTestDirectory(database, { seedDemo: false });
  });
  afterAll(async () => {
    await directory.close();
    await database.close();
  });

  it('does not seed unless asked', async () => {
    expect(await directory.module.get(UserRepository).count()).toBe(0);
  });

  it('seeds users, rooms, messages and posts once', async () => {
    const seed = directory.module.get(SeedService);
    expect(await seed.seed()).toBe(true);
    expect(await seed.seed()).toBe(false);
    expect(DEMO_USERS.length).toBeGreaterThanOrEqual(6);
    const auth = directory.module.get(AuthService);
    for (const login of DEMO_LOGINS) {
      const session = await auth.login(login.username, login.password);
      expect(session.user.isAdmin).toBe(login.admin);
    }
    const alice = await auth.login('alice', 'parley');
    const rooms = await directory.module.get(RoomService).listFor(alice.user.id);
    expect(rooms.map((r) => r.kind)).toEqual(expect.arrayContaining(['chat', 'direct']));
    expect((await directory.module.get(PostService).list()).length).toBeGreaterThanOrEqual(3);
    const town = rooms.find((r) => r.name === 'town-square');
    expect(town?.memberIds).toHaveLength(DEMO_USERS.length);
  });
});
