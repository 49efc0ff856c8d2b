import { Injectable } from '@nestjs/common';
import type { UserSummary } from '@parley/protocol';

/** What counting a tab in or out changed: on this node, and on the whole cluster as this node knows it. */
export interface TabChange {
  /** This node's first tab of the user (add) or its last one (remove). */
  here: boolean;
  /** The user's first tab on any node (add) or their last one anywhere (remove). */
  anywhere: boolean;
}

/**
 * The connected tabs (sockets) of each user: counted in memory for this node, plus, in cluster
 * mode, the users other nodes have tabs of (kept up to date by the app's cluster sync from each
 * node's announcements, `presence.tabs`). A user is online while any node has a tab of theirs.
 * With one node `remote` stays empty and this is the plain in-memory count.
 */
@Injectable()
export class PresenceRegistry {
  private readonly tabs = new Map<string, number>();
  /** Other nodes' online users, by node id, with the summary each announced (its stored presence). */
  private readonly remote = new Map<string, Map<string, UserSummary>>();

  isOnline(userId: string): boolean {
    return this.isOnlineHere(userId) || this.isOnlineElsewhere(userId);
  }

  isOnlineHere(userId: string): boolean {
    return (this.tabs.get(userId) ?? 0) > 0;
  }

  private isOnlineElsewhere(userId: string): boolean {
    for (const users of this.remote.values()) if (users.has(userId)) return true;
    return false;
  }

  add(userId: string): TabChange {
    const count = (this.tabs.get(userId) ?? 0) + 1;
    this.tabs.set(userId, count);
    const here = count === 1;
    return { here, anywhere: here && !this.isOnlineElsewhere(userId) };
  }

  remove(userId: string): TabChange {
    const count = (this.tabs.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.tabs.set(userId, count);
      return { here: false, anywhere: false };
    }
    this.tabs.delete(userId);
    return { here: true, anywhere: !this.isOnlineElsewhere(userId) };
  }

  /** The users with a tab on this node (what this node announces to the others). */
  localUserIds(): string[] {
    return [...this.tabs.keys()];
  }

  onlineUserIds(): string[] {
    const ids = new Set(this.tabs.keys());
    for (const users of this.remote.values()) for (const id of users.keys()) ids.add(id);
    return [...ids];
  }

  /** The nodes this node knows to have online users. */
  remoteNodeIds(): string[] {
    return [...this.remote.keys()];
  }

  /**
   * Node `nodeId` has (`online`) or no longer has a tab of `user`. Returns true when that changes
   * whether the user is online anywhere.
   */
  setRemote(nodeId: string, user: UserSummary, online: boolean): boolean {
    const before = this.isOnline(user.id);
    const users = this.remote.get(nodeId) ?? new Map<string, UserSummary>();
    if (online) users.set(user.id, user);
    else users.delete(user.id);
    if (users.size > 0) this.remote.set(nodeId, users);
    else this.remote.delete(nodeId);
    return this.isOnline(user.id) !== before;
  }

  /**
   * Everything node `nodeId` has, at once: its snapshot, or `[]` when it is gone (its lease
   * expired). Returns the users whether online anywhere changed, with their summaries.
   */
  replaceRemote(nodeId: string, users: UserSummary[]): UserSummary[] {
    const previous = this.remote.get(nodeId) ?? new Map<string, UserSummary>();
    const touched = new Map([...previous, ...users.map((user) => [user.id, user] as const)]);
    const before = new Map([...touched.keys()].map((id) => [id, this.isOnline(id)]));
    if (users.length > 0) this.remote.set(nodeId, new Map(users.map((user) => [user.id, user])));
    else this.remote.delete(nodeId);
    return [...touched.values()].filter((user) => this.isOnline(user.id) !== before.get(user.id));
  }
}
