import { BadRequestException } from '@nestjs/common';
import { createTestDatabase, createTestDirectory, type TestDatabase, type TestDirectory } from '../testing';
import { DirectoryEvents, type DirectoryEvent } from './directory-events.service';
import { PostService } from './post.service';
import { UserService } from './user.service';

describe('PostService', () => {
  let database: TestDatabase;
  let directory: TestDirectory;
  let posts: PostService;
  const events: DirectoryEvent[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    directory = await createTestDirectory(database);
    posts = directory.module.get(PostService);
    directory.module.get(DirectoryEvents).events$.subscribe((event) => events.push(event));
  });
  afterAll(async () => {
    await directory.close();
    await database.close();
  });

  it('lists the seeded stream newest first', async () => {
    const list = await posts.list();
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.map((p) => p.createdAt)).toEqual(
      list
        .map((p) => p.createdAt)
        .sort()
        .reverse(),
    );
    expect(await posts.list(2)).toHaveLength(2);
    expect(await posts.list(50, list[1].createdAt)).toEqual(list.slice(2));
  });

  it('creates posts and announces them', async () => {
    const [frank] = (await directory.module.get(UserService).list()).filter((u) => u.username === 'frank');
    const post = await posts.create(frank.id, ' Shipping today ');
    expect(post).toMatchObject({ authorId: frank.id, body: 'Shipping today' });
    expect(events).toEqual([{ type: 'post.created', post }]);
    expect((await posts.list(1))[0]).toEqual(post);
    await expect(posts.create(frank.id, '')).rejects.toBeInstanceOf(BadRequestException);
  });
});
