import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_RETENTION_DAYS, type RetentionSettings } from '@parley/protocol';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const DAYS = `whole days, 1-${MAX_RETENTION_DAYS}`;

/**
 * `PUT /api/admin/retention`: the fields to change; one left out stays as it is, null keeps
 * everything (the default). Anything else is a 400 naming the field.
 */
export class RetentionSettingsDto implements Partial<RetentionSettings> {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: MAX_RETENTION_DAYS })
  @IsOptional()
  @IsInt({ message: `recordingDays must be null or ${DAYS}` })
  @Min(1, { message: `recordingDays must be null or ${DAYS}` })
  @Max(MAX_RETENTION_DAYS, { message: `recordingDays must be null or ${DAYS}` })
  recordingDays?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: MAX_RETENTION_DAYS })
  @IsOptional()
  @IsInt({ message: `callHistoryDays must be null or ${DAYS}` })
  @Min(1, { message: `callHistoryDays must be null or ${DAYS}` })
  @Max(MAX_RETENTION_DAYS, { message: `callHistoryDays must be null or ${DAYS}` })
  callHistoryDays?: number | null;
}
