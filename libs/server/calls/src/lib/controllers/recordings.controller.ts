import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type UserEntity } from '@parley/server-directory';
import type { Response } from 'express';
import { RecordingService } from '../services/recording.service';

@ApiTags('calls')
@ApiCookieAuth()
@Controller('api/recordings')
export class RecordingsController {
  constructor(private readonly recordings: RecordingService) {}

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
