import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  type CallHistoryQuery,
  type CallDeclineRequest,
  type CallHangupRequest,
  type CallIdRequest,
  type CallMediaRequest,
  type CallStartRequest,
  type CallTarget,
  CALL_TARGET_KINDS,
  type CallTargetKind,
  PREFERENCE_CONTEXTS,
  type PreferenceContext,
  type UserPreferencesUpdate,
} from '@parley/protocol';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_HISTORY_LIMIT } from '../services/call-history.service';

const ID = { maxLength: 64 };

export class CallTargetDto {
  @ApiProperty({ enum: CALL_TARGET_KINDS })
  // `$property`: the socket edge and REST prefix nested fields with their path (`target.kind`).
  @IsIn(CALL_TARGET_KINDS as CallTargetKind[], {
    message: `$property must be one of: ${CALL_TARGET_KINDS.join(', ')}`,
  })
  kind!: CallTargetKind;

  @ApiPropertyOptional({ description: 'The callee (kind `user`)' })
  @ValidateIf((target: CallTargetDto) => target.kind === 'user')
  @IsString()
  @IsNotEmpty()
  @MaxLength(ID.maxLength)
  userId?: string;

  @ApiPropertyOptional({ description: 'The room or space (kind `room`/`space`)' })
  @ValidateIf((target: CallTargetDto) => target.kind === 'room' || target.kind === 'space')
  @IsString()
  @IsNotEmpty()
  @MaxLength(ID.maxLength)
  roomId?: string;
}

export class CallStartDto {
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: 'providerType must be a provider type such as webrtc' })
  providerType!: string;

  @IsObject({ message: 'target must be an object' })
  @ValidateNested()
  @Type(() => CallTargetDto)
  target!: CallTargetDto;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;

  toRequest(): CallStartRequest {
    const target: CallTarget =
      this.target.kind === 'user'
        ? { kind: 'user', userId: this.target.userId as string }
        : { kind: this.target.kind, roomId: this.target.roomId as string };
    return { providerType: this.providerType, target, ...(this.title ? { title: this.title } : {}) };
  }
}

export class CallIdDto implements CallIdRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(ID.maxLength)
  callId!: string;
}

export class CallHangupDto extends CallIdDto implements CallHangupRequest {
  @IsOptional()
  @IsBoolean()
  providerUnavailable?: boolean;
}

export class CallDeclineDto extends CallIdDto implements CallDeclineRequest {
  @IsOptional()
  @IsBoolean()
  noMedia?: boolean;
}

export class CallMediaDto implements CallMediaRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(ID.maxLength)
  callId!: string;

  @IsBoolean()
  muted!: boolean;

  @IsBoolean()
  cameraOff!: boolean;
}

export class CallHistoryQueryDto implements CallHistoryQuery {
  @ApiPropertyOptional({ description: 'Only the calls with this user (a profile page)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(ID.maxLength)
  userId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_HISTORY_LIMIT, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_LIMIT)
  limit?: number;
}

/** `lastProvider` values: a provider type, or null to forget. */
export class LastProviderDto implements Partial<Record<PreferenceContext, string | null>> {
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @Matches(/^[a-z][a-z0-9-]{0,39}$/) user?:
    string | null;
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @Matches(/^[a-z][a-z0-9-]{0,39}$/) room?:
    string | null;
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @Matches(/^[a-z][a-z0-9-]{0,39}$/) space?:
    string | null;
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @Matches(/^[a-z][a-z0-9-]{0,39}$/) popover?:
    string | null;
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @Matches(/^[a-z][a-z0-9-]{0,39}$/) profile?:
    string | null;
}

export class UserPreferencesUpdateDto implements UserPreferencesUpdate {
  @ApiPropertyOptional({
    description: `Last provider per context (${PREFERENCE_CONTEXTS.join(', ')}); null forgets one`,
    example: { user: 'webrtc' },
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LastProviderDto)
  lastProvider?: LastProviderDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  micEnabled?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  cameraEnabled?: boolean;
}

export class RoomIdDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(ID.maxLength)
  roomId!: string;
}

export class CallRoomJoinDto extends RoomIdDto {
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: 'providerType must be a provider type such as webrtc' })
  providerType?: string;
}

export class CallHandDto extends CallIdDto {
  @IsBoolean()
  raised!: boolean;
}

export class CallReactionDto extends CallIdDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(16)
  @Matches(/^[^\s<>]+$/u, { message: 'emoji must be an emoji (no spaces or markup)' })
  emoji!: string;
}

export class CallHostTargetDto extends CallIdDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(ID.maxLength)
  userId!: string;
}

export class CallHostMuteDto extends CallIdDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(ID.maxLength)
  userId?: string;
}
