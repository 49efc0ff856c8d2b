import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RetentionSettings } from '@parley/protocol';
import { AdminOnly, FieldValidationPipe } from '@parley/server-conferencing';
import { CurrentUser, type UserEntity } from '@parley/server-directory';
import { RetentionSettingsDto } from '../dto/retention.dto';
import {
  RetentionSettingsService,
  type RetentionSettingsUpdate,
} from '../services/retention-settings.service';

/** The admin page's retention settings (docs/operations.md "Retention"). Admins only (403 otherwise). */
@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/retention')
export class RetentionController {
  constructor(private readonly settings: RetentionSettingsService) {}

  @Get()
  @ApiOperation({ summary: 'How many days recordings and call history are kept (null: kept)' })
  get(): Promise<RetentionSettings> {
    return this.settings.get();
  }

  @Put()
  @ApiBody({ type: RetentionSettingsDto })
  @ApiOperation({ summary: 'Changes the retention (a field left out stays; null keeps everything); audited' })
  update(
    @Body(new FieldValidationPipe(RetentionSettingsDto, 'Invalid retention settings'))
    body: RetentionSettingsUpdate,
    @CurrentUser() user: UserEntity,
  ): Promise<RetentionSettings> {
    return this.settings.update(body, user);
  }
}
