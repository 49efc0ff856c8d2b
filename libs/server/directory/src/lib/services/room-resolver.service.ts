import { Injectable, NotFoundException } from '@nestjs/common';
import type { RoomEntity } from '../entities';
import { RoomRepository } from '../repositories';

/**
 * A room's slug is its `name` (unique, lowercase letters, digits and dashes: `town-square`, or
 * `dm-<id>-<id>` for a direct message). Portal URLs and links use it; ids keep working.
 */
export const ROOM_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,119}$/;

/**
 * The one place a room address from a URL (`/rooms/:room`, `/api/rooms/:id/…`) becomes a room:
 * an id first, then a slug. Every controller taking a room address resolves it here and works
 * with the room's id afterwards.
 */
@Injectable()
export class RoomResolver {
  constructor(private readonly rooms: RoomRepository) {}

  /** The room whose id or slug is `address`; 404 naming the address when there is none. */
  async resolve(address: string): Promise<RoomEntity> {
    const key = typeof address === 'string' ? address.trim() : '';
    const room =
      key === ''
        ? null
        : ((await this.rooms.findById(key)) ??
          (ROOM_SLUG_PATTERN.test(key) ? await this.rooms.findByName(key) : null));
    if (!room) {
      throw new NotFoundException(`Room "${key}" not found: no room has this id or slug`);
    }
    return room;
  }

  /** The room's id, for services that take ids. */
  async idOf(address: string): Promise<string> {
    return (await this.resolve(address)).id;
  }
}
