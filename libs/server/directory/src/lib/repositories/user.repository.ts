import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { UserEntity } from '../entities';

@Injectable()
export class UserRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }

  findByIds(ids: string[]): Promise<UserEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.users.findBy({ id: In(ids) });
  }

  list(): Promise<UserEntity[]> {
    return this.users.find({ order: { displayName: 'ASC', username: 'ASC' } });
  }

  count(): Promise<number> {
    return this.users.count();
  }

  async create(user: UserEntity): Promise<UserEntity> {
    await this.users.insert(user);
    return user;
  }

  async update(id: string, changes: Partial<Omit<UserEntity, 'id'>>): Promise<void> {
    await this.users.update({ id }, changes);
  }
}
