import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { RoomKind } from '@parley/protocol';
import { DataSource } from 'typeorm';
import { DEFAULT_ADMINS_GROUP, DIRECTORY_OPTIONS, type DirectoryModuleOptions } from '../directory.options';
import {
  GroupEntity,
  MembershipEntity,
  MessageEntity,
  PostEntity,
  RoomEntity,
  RoomMemberEntity,
  UserEntity,
} from '../entities';
import { hashPassword } from '../util/password';
import { newId } from '../util/time';
import { directRoomName } from './room.service';

/** The password of every demo user. */
export const DEMO_PASSWORD = 'parley';

/** The demo accounts created on first start (listed in the README). */
export const DEMO_USERS = [
  { username: 'alice', displayName: 'Alice Martin', title: 'Platform administrator', admin: true },
  { username: 'bob', displayName: 'Bob Nguyen', title: 'Product designer', admin: false },
  { username: 'carol', displayName: 'Carol Diaz', title: 'Engineering manager', admin: false },
  { username: 'dave', displayName: 'Dave Okafor', title: 'Backend developer', admin: false },
  { username: 'erin', displayName: 'Erin Kowalski', title: 'Frontend developer', admin: false },
  { username: 'frank', displayName: 'Frank Moreau', title: 'Support engineer', admin: false },
] as const;

export type DemoUsername = (typeof DEMO_USERS)[number]['username'];

/** `{ username, password, admin }` for each demo account. */
export const DEMO_LOGINS = DEMO_USERS.map(({ username, admin }) => ({
  username,
  password: DEMO_PASSWORD,
  admin,
}));

interface RoomSeed {
  kind: RoomKind;
  name: string;
  title: string;
  members: DemoUsername[];
  messages: [DemoUsername, string][];
}

const ROOMS: RoomSeed[] = [
  {
    kind: 'chat',
    name: 'town-square',
    title: 'Town Square',
    members: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'],
    messages: [
      ['alice', 'Welcome to Parley! This is the room everyone is in.'],
      ['carol', 'Morning all. Stand-up is at 9:30 in the usual call.'],
      ['dave', 'The staging deploy is done, please try it out.'],
      ['frank', 'Two customers asked about screen sharing today, good sign.'],
    ],
  },
  {
    kind: 'chat',
    name: 'design',
    title: 'Design',
    members: ['bob', 'carol', 'erin'],
    messages: [
      ['bob', 'New mock-ups for the call window are in the shared folder.'],
      ['erin', 'Love the compact layout. Can we keep the mute button bottom-left?'],
      ['bob', 'Sure, updating now.'],
    ],
  },
  {
    kind: 'group',
    name: 'release-crew',
    title: 'Carol, Dave, Frank',
    members: ['carol', 'dave', 'frank'],
    messages: [
      ['carol', 'Release checklist for Friday: anything blocking?'],
      ['dave', 'Only the migration review, should be done tomorrow.'],
    ],
  },
  {
    kind: 'direct',
    name: '',
    title: 'Alice Martin, Bob Nguyen',
    members: ['alice', 'bob'],
    messages: [
      ['alice', 'Hi Bob, do you have five minutes for a quick call?'],
      ['bob', 'Sure, calling you in a minute.'],
    ],
  },
];

const POSTS: [DemoUsername, string][] = [
  ['alice', 'Parley is live on our portal: start a call from any conversation.'],
  ['carol', 'Reminder: the quarterly planning session is next Tuesday.'],
  ['erin', 'Shipped dark mode for the portal. Feedback welcome!'],
  ['dave', 'Database maintenance tonight at 22:00, expect a short interruption.'],
];

/** Fills an empty directory with demo users, rooms, messages and posts. */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DIRECTORY_OPTIONS) private readonly options: DirectoryModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.seedDemo) {
      await this.seed();
    }
  }

  /** Idempotent: does nothing unless the users table is empty. Returns whether it seeded. */
  async seed(now = Date.now()): Promise<boolean> {
    if ((await this.dataSource.getRepository(UserEntity).count()) > 0) {
      return false;
    }
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    // Spread the history over the last few hours, oldest first.
    let clock = now - 6 * 3600 * 1000;
    const tick = () => new Date((clock += 7 * 60 * 1000)).toISOString();

    await this.dataSource.transaction(async (manager) => {
      const ids = new Map<DemoUsername, string>();
      for (const demo of DEMO_USERS) {
        const user: UserEntity = {
          id: newId(),
          username: demo.username,
          displayName: demo.displayName,
          email: `${demo.username}@parley.example`,
          title: demo.title,
          passwordHash,
          presence: 'available',
          createdAt: tick(),
        };
        await manager.insert(UserEntity, user);
        ids.set(demo.username, user.id);
      }
      const id = (username: DemoUsername) => ids.get(username) ?? '';

      const admins: GroupEntity = {
        id: newId(),
        name: this.options.adminsGroup ?? DEFAULT_ADMINS_GROUP,
        createdAt: tick(),
      };
      const staff: GroupEntity = { id: newId(), name: 'platform/users', createdAt: tick() };
      await manager.insert(GroupEntity, [admins, staff]);
      for (const demo of DEMO_USERS) {
        await manager.insert(MembershipEntity, { userId: id(demo.username), groupId: staff.id });
        if (demo.admin) {
          await manager.insert(MembershipEntity, { userId: id(demo.username), groupId: admins.id });
        }
      }

      for (const seed of ROOMS) {
        const memberIds = seed.members.map(id);
        const room: RoomEntity = {
          id: newId(),
          kind: seed.kind,
          name: seed.kind === 'direct' ? directRoomName(memberIds[0], memberIds[1]) : seed.name,
          title: seed.title,
          createdAt: tick(),
        };
        await manager.insert(RoomEntity, room);
        await manager.insert(
          RoomMemberEntity,
          memberIds.map((userId) => ({ roomId: room.id, userId })),
        );
        for (const [author, body] of seed.messages) {
          const message: MessageEntity = {
            id: newId(),
            roomId: room.id,
            authorId: id(author),
            body,
            createdAt: tick(),
          };
          await manager.insert(MessageEntity, message);
        }
      }

      for (const [author, body] of POSTS) {
        const post: PostEntity = { id: newId(), authorId: id(author), body, createdAt: tick() };
        await manager.insert(PostEntity, post);
      }
    });
    this.logger.log(
      `Seeded the demo directory: ${DEMO_USERS.length} users (password "${DEMO_PASSWORD}"), ${ROOMS.length} rooms`,
    );
    return true;
  }
}
