import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Presence, UserProfile, UserSummary } from '@parley/protocol';
import { DEFAULT_ADMINS_GROUP, DIRECTORY_OPTIONS, type DirectoryModuleOptions } from '../directory.options';
import type { UserEntity } from '../entities';
import { GroupRepository, UserRepository } from '../repositories';
import { DirectoryEvents } from './directory-events.service';
import { PresenceRegistry } from './presence-registry.service';

export function avatarUrl(userId: string): string {
  return `/api/users/${encodeURIComponent(userId)}/avatar.svg`;
}

/**
 * Users, their profiles and their presence. The presence a user chose is stored in the database;
 * what others see is that choice while the user has at least one connected tab, `offline` otherwise.
 */
@Injectable()
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly groups: GroupRepository,
    private readonly registry: PresenceRegistry,
    private readonly events: DirectoryEvents,
    @Inject(DIRECTORY_OPTIONS) private readonly options: DirectoryModuleOptions,
  ) {}

  get adminsGroup(): string {
    return this.options.adminsGroup ?? DEFAULT_ADMINS_GROUP;
  }

  effectivePresence(user: UserEntity): Presence {
    return this.registry.isOnline(user.id) ? user.presence : 'offline';
  }

  toSummary(user: UserEntity): UserSummary {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      avatarUrl: avatarUrl(user.id),
      presence: this.effectivePresence(user),
    };
  }

  async toProfile(user: UserEntity): Promise<UserProfile> {
    const groups = await this.groups.groupNamesOf(user.id);
    return {
      ...this.toSummary(user),
      email: user.email,
      title: user.title,
      groups,
      isAdmin: groups.includes(this.adminsGroup),
    };
  }

  async list(): Promise<UserSummary[]> {
    return (await this.users.list()).map((user) => this.toSummary(user));
  }

  async findEntity(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) {
      throw new NotFoundException(`User ${id} not found`);
    }
    return user;
  }

  async profile(id: string): Promise<UserProfile> {
    return this.toProfile(await this.findEntity(id));
  }

  /** Stores the user's choice and tells everyone. */
  async setPresence(userId: string, presence: Presence): Promise<UserSummary> {
    const user = await this.findEntity(userId);
    user.presence = presence;
    await this.users.update(userId, { presence });
    const summary = this.toSummary(user);
    this.events.emit({ type: 'presence.changed', user: summary });
    return summary;
  }

  /** A tab connected. The first tab of a user whose choice is `offline` makes them `available`. */
  async tabConnected(userId: string): Promise<void> {
    const change = this.registry.add(userId);
    if (!change.here) {
      return;
    }
    const user = await this.users.findById(userId);
    if (!user) {
      return;
    }
    if (user.presence === 'offline') {
      user.presence = 'available';
      await this.users.update(userId, { presence: 'available' });
    }
    const summary = this.toSummary(user);
    this.events.emit({ type: 'presence.tabs', user: { ...summary, presence: user.presence }, online: true });
    if (change.anywhere) this.events.emit({ type: 'presence.changed', user: summary, thisNode: true });
  }

  /** A tab disconnected. Closing the last tab (on every node) makes the user `offline` for everyone else. */
  async tabDisconnected(userId: string): Promise<void> {
    const change = this.registry.remove(userId);
    if (!change.here) {
      return;
    }
    const user = await this.users.findById(userId);
    if (!user) {
      return;
    }
    const summary = this.toSummary(user);
    this.events.emit({ type: 'presence.tabs', user: { ...summary, presence: user.presence }, online: false });
    if (change.anywhere && user.presence !== 'offline') {
      this.events.emit({ type: 'presence.changed', user: summary, thisNode: true });
    }
  }

  /**
   * Cluster mode: node `nodeId` announced its first tab of `user` (`online`, `user.presence` the
   * stored choice) or its last one. This node's tabs are told when that changes whether the user
   * is online anywhere.
   */
  remoteTabs(nodeId: string, user: UserSummary, online: boolean): void {
    if (this.registry.setRemote(nodeId, user, online)) this.pushPresence(user);
  }

  /** Cluster mode: all of node `nodeId`'s online users at once (`[]`: the node is gone). */
  remoteNode(nodeId: string, users: UserSummary[]): void {
    for (const user of this.registry.replaceRemote(nodeId, users)) this.pushPresence(user);
  }

  private pushPresence(user: UserSummary): void {
    const presence = this.registry.isOnline(user.id) ? user.presence : 'offline';
    this.events.emit({ type: 'presence.changed', user: { ...user, presence }, thisNode: true });
  }
}
