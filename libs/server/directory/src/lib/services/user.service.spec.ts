import type { UserSummary } from '@parley/protocol';
import { createTestDatabase, createTestDirectory, type TestDatabase, type TestDirectory } from '../testing';
import { DirectoryEvents, type DirectoryEvent } from './directory-events.service';
import { UserService } from './user.service';

describe('UserService', () => {
  let database: TestDatabase;
  let directory: TestDirectory;
  let users: UserService;
  let events: DirectoryEvent[];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    directory = await createTestDirectory(database);
    users = directory.module.get(UserService);
    directory.module.get(DirectoryEvents).events$.subscribe((event) => events.push(event));
  });
  beforeEach(() => (events = []));
  afterAll(async () => {
    await directory.close();
    await database.close();
  });

  const byName = async (username: string): Promise<UserSummary> => {
    const user = (await users.list()).find((u) => u.username === username);
    if (!user) throw new Error(`${username} missing`);
    return user;
  };
  const presenceEvents = () =>
    events.flatMap((e) => (e.type === 'presence.changed' ? [`${e.user.username}:${e.user.presence}`] : []));

  it('lists users by display name with avatar URLs, offline while no tab is connected', async () => {
    const list = await users.list();
    expect(list).toHaveLength(6);
    expect(list[0]).toMatchObject({ username: 'alice', presence: 'offline' });
    expect(list[0].avatarUrl).toBe(`/api/users/${list[0].id}/avatar.svg`);
  });

  it('returns profiles and 404 for unknown users', async () => {
    const bob = await byName('bob');
    expect(await users.profile(bob.id)).toMatchObject({
      username: 'bob',
      email: 'bob@parley.example',
      title: 'Product designer',
      isAdmin: false,
    });
    await expect(users.profile('nope')).rejects.toThrow('User nope not found');
  });

  it('tracks tabs: first tab online, chosen status kept, last tab offline', async () => {
    const carol = await byName('carol');
    await users.tabConnected(carol.id);
    await users.tabConnected(carol.id);
    expect(presenceEvents()).toEqual(['carol:available']);

    expect((await users.setPresence(carol.id, 'dnd')).presence).toBe('dnd');
    await users.tabDisconnected(carol.id);
    expect((await byName('carol')).presence).toBe('dnd');
    await users.tabDisconnected(carol.id);
    expect((await byName('carol')).presence).toBe('offline');
    expect(presenceEvents()).toEqual(['carol:available', 'carol:dnd', 'carol:offline']);

    // The choice persists: the next tab shows dnd again.
    await users.tabConnected(carol.id);
    expect((await byName('carol')).presence).toBe('dnd');
    await users.tabDisconnected(carol.id);
  });

  it('turns an offline choice into available when the first tab connects', async () => {
    const dave = await byName('dave');
    await users.tabConnected(dave.id);
    await users.setPresence(dave.id, 'offline');
    expect((await byName('dave')).presence).toBe('offline');
    await users.tabDisconnected(dave.id);
    await users.tabConnected(dave.id);
    expect((await byName('dave')).presence).toBe('available');
    await users.tabDisconnected(dave.id);
    expect(presenceEvents()).toEqual(['dave:available', 'dave:offline', 'dave:available', 'dave:offline']);
  });
  it("counts other nodes' tabs (cluster mode): online while any node has one, a gone node drops out", async () => {
    const erin = await byName('erin');
    const stored = { ...erin, presence: 'away' as const };
    // erin's tab on node B: online here too, pushed to this node's tabs only.
    users.remoteTabs('node-b', stored, true);
    expect((await byName('erin')).presence).not.toBe('offline');
    // A tab here as well: not a change for anyone; this node announces its own first tab.
    await users.tabConnected(erin.id);
    expect(events.filter((e) => e.type === 'presence.tabs')).toMatchObject([{ online: true }]);
    await users.tabDisconnected(erin.id);
    expect(events.filter((e) => e.type === 'presence.tabs')).toMatchObject([
      { online: true },
      { online: false },
    ]);
    expect((await byName('erin')).presence).not.toBe('offline');
    // Node B dies (its lease expired): erin is offline.
    users.remoteNode('node-b', []);
    expect((await byName('erin')).presence).toBe('offline');
    expect(presenceEvents()).toEqual(['erin:away', 'erin:offline']);
    expect(events.every((e) => e.type !== 'presence.changed' || e.thisNode)).toBe(true);
  });
});
