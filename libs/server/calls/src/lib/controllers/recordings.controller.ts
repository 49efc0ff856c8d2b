import { ConflictException, Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { CurrentUser, RoomService, type UserEntity } from '@parley/server-directory';
import type { Response } from 'express';
import { isAbsolute, relative, resolve } from 'node:path';
import { Repository } from 'typeorm';
import { RecordingEntity } from '../entities/recording.entity';
import { RecordingService } from '../services/recording.service';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('calls')
@ApiCookieAuth()
@Controller('api/recordings')
export class RecordingsController {
  constructor(
    private readonly recordings: RecordingService,
    private readonly rooms: RoomService,
    @InjectRepository(RecordingEntity) private readonly repo: Repository<RecordingEntity>,
  ) {}

  @Get(':id/file')
  @ApiOperation({
    summary:
      "A call recording's file: members of its room only (403 otherwise), HTTP range requests (206), offered as an attachment",
  })
  @ApiOkResponse({ description: 'The file (e.g. video/webm)' })
  async file(@CurrentUser() me: UserEntity, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const row = ID.test(id) ? await this.repo.findOneBy({ id }) : null;
    if (!row) throw new NotFoundException(`Recording ${id} not found`);
    await this.rooms.getFor(row.roomId, me.id); // 404 unknown room, 403 not a member
    if (!row.stoppedAt) throw new ConflictException('The recording is still going on');
    const path = resolve(this.recordings.dir, row.relativePath);
    const inside = relative(this.recordings.dir, path);
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) {
      throw new NotFoundException(`Recording ${id} not found`);
    }
    await new Promise<void>((done) => {
      res.download(
        path,
        row.fileName,
        {
          dotfiles: 'deny',
          acceptRanges: true,
          cacheControl: false,
          headers: { 'Cache-Control': 'private' },
        },
        (error?: Error & { status?: number; statusCode?: number }) => {
          if (error && !res.headersSent) {
            const status = error.status ?? error.statusCode ?? 500;
            res.status(status === 404 ? 404 : status).json({
              statusCode: status,
              message: status === 404 ? 'The recording file is gone' : error.message,
              error: status === 404 ? 'Not Found' : 'Error',
            });
          }
          done();
        },
      );
    });
  }
}
