import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { SessionEntity } from '../entities';

@Injectable()
export class SessionRepository {
  constructor(@InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>) {}

  findById(id: string): Promise<SessionEntity | null> {
    return this.sessions.findOneBy({ id });
  }

  async create(session: SessionEntity): Promise<void> {
    await this.sessions.insert(session);
  }

  async revoke(id: string, at: string): Promise<void> {
    await this.sessions.update({ id }, { revokedAt: at });
  }

  /** Deletes the sessions expired before `now` (ISO); answers how many. */
  async deleteExpired(now: string): Promise<number> {
    return (await this.sessions.delete({ expiresAt: LessThan(now) })).affected ?? 0;
  }
}
