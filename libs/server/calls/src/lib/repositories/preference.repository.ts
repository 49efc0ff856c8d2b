import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UserPreferenceEntity } from '../entities';

/** The `user_preferences` table: one JSON document per user. */
@Injectable()
export class PreferenceRepository {
  constructor(
    @InjectRepository(UserPreferenceEntity) private readonly rows: Repository<UserPreferenceEntity>,
  ) {}

  findByUser(userId: string): Promise<UserPreferenceEntity | null> {
    return this.rows.findOneBy({ userId });
  }

  async save(row: UserPreferenceEntity): Promise<void> {
    await this.rows.save(row);
  }
}
