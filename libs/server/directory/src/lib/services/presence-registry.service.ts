import { Injectable } from '@nestjs/common';

/** In-memory count of the connected tabs (sockets) of each user. */
@Injectable()
export class PresenceRegistry {
  private readonly tabs = new Map<string, number>();

  isOnline(userId: string): boolean {
    return (this.tabs.get(userId) ?? 0) > 0;
  }

  /** Returns true when this is the user's first tab. */
  add(userId: string): boolean {
    const count = (this.tabs.get(userId) ?? 0) + 1;
    this.tabs.set(userId, count);
    return count === 1;
  }

  /** Returns true when this was the user's last tab. */
  remove(userId: string): boolean {
    const count = (this.tabs.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.tabs.set(userId, count);
      return false;
    }
    this.tabs.delete(userId);
    return true;
  }

  onlineUserIds(): string[] {
    return [...this.tabs.keys()];
  }
}
