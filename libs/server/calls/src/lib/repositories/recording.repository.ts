import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
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

  /** Recordings never stopped (the server went away mid-recording) are marked stopped now, `interrupted`. */
  async closeInterrupted(at: string): Promise<void> {
    await this.recordings.update({ stoppedAt: IsNull() }, { stoppedAt: at, stopReason: 'interrupted' });
  }
}
