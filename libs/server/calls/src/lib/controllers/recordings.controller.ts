import { Controller, Delete, Get, HttpCode, Param, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type UserEntity } from '@parley/server-directory';
import type { Response } from 'express';
import { RecordingDeletion } from '../services/recording-deletion.service';
import { RecordingService } from '../services/recording.service';

@ApiTags('calls')
@ApiCookieAuth()
@Controller('api/recordings')
export class RecordingsController {
  constructor(
    private readonly recordings: RecordingService,
    private readonly deletion: RecordingDeletion,
  ) {}

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Deletes a finished recording (file and row; its post in the thread says it was deleted): the host who recorded it or an administrator (403 for other members and non-members, 409 while it records)',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(@CurrentUser() me: UserEntity, @Param('id') id: string): Promise<void> {
    return this.deletion.deleteFor(me, id);
  }

  @Get(':id/file')
  @ApiOperation({
    summary:
      "A call recording's file: members of its room only (403 otherwise), HTTP range requests (206), offered as an attachment",
  })
  @ApiOkResponse({ description: 'The file (e.g. video/webm)' })
  async file(@CurrentUser() me: UserEntity, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const { path, fileName } = await this.recordings.fileFor(me.id, id);
    await new Promise<void>((done) => {
      res.download(
        path,
        fileName,
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
