import {
  ConflictException,
  ForbiddenException,
  Injectable,
  InternalServerErrorException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { errorMessage, formatDuration, formatFileSize } from '@parley/protocol';
import { RoomService, UserService, type UserEntity } from '@parley/server-directory';
import { rm } from 'node:fs/promises';
import type { RecordingEntity } from '../entities/recording.entity';
import { RecordingRepository } from '../repositories';
import { RECORDING_ID, RecordingService } from './recording.service';

export const ONLY_HOST_OR_ADMIN_DELETES =
  'Only the host who recorded it or an administrator can delete a recording';

/**
 * Deleting a finished recording, by a user (`DELETE /api/recordings/:id`: the host who recorded it
 * or an administrator) or by the retention sweep. The file goes first, then the row, then its post
 * in the call's thread is rewritten to say it was deleted (no attachment, no download link). Each
 * step is idempotent (a missing file, a row or post already gone are fine), so nodes sweeping at the
 * same time, or a sweep and a user, may delete the same recording.
 */
@Injectable()
export class RecordingDeletion {
  private readonly logger = new Logger(RecordingDeletion.name);

  constructor(
    private readonly recordings: RecordingService,
    private readonly repo: RecordingRepository,
    private readonly rooms: RoomService,
    private readonly users: UserService,
  ) {}

  /**
   * A user deletes a recording: 404 for an unknown id; admins may delete any; anyone else must be a
   * member of its room (404 unknown room, 403 not a member) and the host who recorded it (403);
   * 409 while it still records.
   */
  async deleteFor(user: UserEntity, id: string): Promise<void> {
    const row = RECORDING_ID.test(id) ? await this.repo.findById(id) : null;
    if (!row) throw new NotFoundException(`Recording ${id} not found`);
    if (!(await this.users.toProfile(user)).isAdmin) {
      await this.rooms.getFor(row.roomId, user.id);
      if (row.startedBy !== user.id) throw new ForbiddenException(ONLY_HOST_OR_ADMIN_DELETES);
    }
    if (!row.stoppedAt) throw new ConflictException('The recording is still going on: stop it first');
    // A recording just stopped may not be posted yet: let that finish so its post is rewritten too.
    await this.recordings.settled(row.callId);
    const current = await this.repo.findById(id);
    if (!current) return; // deleted meanwhile
    try {
      await this.remove(current, `deleted by ${user.displayName}`);
    } catch (error) {
      throw new InternalServerErrorException(`The recording could not be deleted: ${errorMessage(error)}`);
    }
    this.logger.log(`Recording ${id} deleted by ${user.displayName} (${user.id})`);
  }

  /**
   * Deletes the file, the row, and rewrites the post (`Recording of the call (…) <note>`). Throws
   * when the file cannot be removed (the row stays, so a later try finds it again). True when this
   * call deleted the row, false when someone else did meanwhile.
   */
  async remove(row: RecordingEntity, note: string): Promise<boolean> {
    const path = this.recordings.pathOf(row);
    if (path) await rm(path, { force: true });
    const deleted = await this.repo.delete(row.id);
    if (row.messageId) {
      const body = `Recording of the call (${formatDuration(row.durationMs)}, ${formatFileSize(row.sizeBytes)}) ${note}`;
      try {
        await this.rooms.rewrite(row.messageId, body);
      } catch (error) {
        this.logger.warn(`Recording ${row.id}: rewriting its post failed: ${errorMessage(error)}`);
      }
    }
    return deleted;
  }
}
