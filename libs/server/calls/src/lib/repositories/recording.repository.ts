import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import { RecordingEntity } from '../entities';

/** The `recordings` table. */
@Injectable()
export class RecordingRepository {
  constructor(@InjectRepository(RecordingEntity) private readonly recordings: Repository<RecordingEntity>) {}

  /** A recording that just started (not stopped yet). */
  async create(recording: RecordingEntity): Promise<void> {
    await this.recordings.insert(recording);
  }

  findById(id: string): Promise<RecordingEntity | null> {
    return this.recordings.findOneBy({ id });
  }

  async update(id: string, patch: Partial<RecordingEntity>): Promise<void> {
    await this.recordings.update({ id }, patch);
  }

  /** Finished recordings stopped before `before` (ISO), oldest first, at most `limit`. */
  stoppedBefore(before: string, limit: number): Promise<RecordingEntity[]> {
    return this.recordings.find({
      where: { stoppedAt: LessThan(before) },
      order: { stoppedAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  /** Deletes the row; false when it was gone already (another node, another request). */
  async delete(id: string): Promise<boolean> {
    return ((await this.recordings.delete({ id })).affected ?? 0) > 0;
  }

  /** Recordings never stopped (the server went away mid-recording) are marked stopped now, `interrupted`. */
  async closeInterrupted(at: string): Promise<void> {
    await this.recordings.update({ stoppedAt: IsNull() }, { stoppedAt: at, stopReason: 'interrupted' });
  }
}
