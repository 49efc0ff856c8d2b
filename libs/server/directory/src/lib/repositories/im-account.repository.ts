import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ImAccountEntity } from '../entities';

@Injectable()
export class ImAccountRepository {
  constructor(@InjectRepository(ImAccountEntity) private readonly accounts: Repository<ImAccountEntity>) {}

  /** A user's accounts, by provider type. */
  listOf(userId: string): Promise<ImAccountEntity[]> {
    return this.accounts.find({ where: { userId }, order: { providerType: 'ASC' } });
  }

  /** These users' accounts for one provider. */
  forProvider(providerType: string, userIds: string[]): Promise<ImAccountEntity[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.accounts.findBy({ providerType, userId: In(userIds) });
  }

  /** Creates or replaces the user's account for the provider. */
  async save(account: ImAccountEntity): Promise<void> {
    await this.accounts.upsert(account, ['userId', 'providerType']);
  }

  /** Whether there was one to delete. */
  async delete(userId: string, providerType: string): Promise<boolean> {
    return ((await this.accounts.delete({ userId, providerType })).affected ?? 0) > 0;
  }
}
