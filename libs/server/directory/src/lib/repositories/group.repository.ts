import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { GroupEntity, MembershipEntity } from '../entities';
import { newId, nowIso } from '../util/time';

@Injectable()
export class GroupRepository {
  constructor(
    @InjectRepository(GroupEntity) private readonly groups: Repository<GroupEntity>,
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
  ) {}

  async findOrCreate(name: string): Promise<GroupEntity> {
    const existing = await this.groups.findOneBy({ name });
    if (existing) {
      return existing;
    }
    const group: GroupEntity = { id: newId(), name, createdAt: nowIso() };
    await this.groups.insert(group);
    return group;
  }

  /** Names of the groups of a user, sorted. */
  async groupNamesOf(userId: string): Promise<string[]> {
    const rows = await this.groups
      .createQueryBuilder('g')
      .innerJoin(MembershipEntity, 'm', 'm.group_id = g.id')
      .where('m.user_id = :userId', { userId })
      .orderBy('g.name', 'ASC')
      .getMany();
    return rows.map((group) => group.name);
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    const exists = await this.memberships.existsBy({ groupId, userId });
    if (!exists) {
      await this.memberships.insert({ groupId, userId });
    }
  }

  /** Makes the user a member of exactly these groups. */
  async setMemberships(userId: string, groupIds: string[]): Promise<void> {
    const current = await this.memberships.findBy({ userId });
    const stale = current.filter((m) => !groupIds.includes(m.groupId)).map((m) => m.groupId);
    if (stale.length > 0) {
      await this.memberships.delete({ userId, groupId: In(stale) });
    }
    for (const groupId of groupIds) {
      if (!current.some((m) => m.groupId === groupId)) {
        await this.memberships.insert({ userId, groupId });
      }
    }
  }
}
