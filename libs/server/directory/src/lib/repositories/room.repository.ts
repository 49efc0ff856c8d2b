import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { RoomEntity, RoomMemberEntity } from '../entities';

@Injectable()
export class RoomRepository {
  constructor(
    @InjectRepository(RoomEntity) private readonly rooms: Repository<RoomEntity>,
    @InjectRepository(RoomMemberEntity) private readonly members: Repository<RoomMemberEntity>,
  ) {}

  findById(id: string): Promise<RoomEntity | null> {
    return this.rooms.findOneBy({ id });
  }

  findByName(name: string): Promise<RoomEntity | null> {
    return this.rooms.findOneBy({ name });
  }

  /** Creates the room and its memberships in one transaction. */
  async create(room: RoomEntity, memberIds: string[]): Promise<RoomEntity> {
    await this.rooms.manager.transaction(async (manager) => {
      await manager.insert(RoomEntity, room);
      const unique = [...new Set(memberIds)];
      if (unique.length > 0) {
        await manager.insert(
          RoomMemberEntity,
          unique.map((userId) => ({ roomId: room.id, userId })),
        );
      }
    });
    return room;
  }

  /** Rooms the user is a member of, by name. */
  roomsOf(userId: string): Promise<RoomEntity[]> {
    return this.rooms
      .createQueryBuilder('r')
      .innerJoin(RoomMemberEntity, 'rm', 'rm.room_id = r.id')
      .where('rm.user_id = :userId', { userId })
      .orderBy('r.name', 'ASC')
      .getMany();
  }

  isMember(roomId: string, userId: string): Promise<boolean> {
    return this.members.existsBy({ roomId, userId });
  }

  /** Member ids per room id. */
  async memberIds(roomIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(roomIds.map((id) => [id, []]));
    if (roomIds.length === 0) {
      return result;
    }
    const rows = await this.members.find({
      where: { roomId: In(roomIds) },
      order: { roomId: 'ASC', userId: 'ASC' },
    });
    for (const row of rows) {
      result.get(row.roomId)?.push(row.userId);
    }
    return result;
  }
}
