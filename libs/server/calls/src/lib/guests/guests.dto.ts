import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  GUEST_LINK_SECONDS,
  GUEST_NAME_MAX_LENGTH,
  type GuestJoinRequest,
  type GuestLinkCreateRequest,
  type GuestLinkCreators,
  type GuestLinkRevokeRequest,
  type GuestSettingsUpdate,
  type LobbyGuestRequest,
} from '@parley/protocol';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CallIdDto } from '../dto/calls.dto';

const ID_MAX = 64;
const SECONDS = `whole seconds, ${GUEST_LINK_SECONDS.min}-${GUEST_LINK_SECONDS.max}`;

export class GuestLinkCreateDto extends CallIdDto implements GuestLinkCreateRequest {
  @IsOptional()
  @IsInt({ message: `expiresInSeconds must be ${SECONDS}` })
  @Min(GUEST_LINK_SECONDS.min, { message: `expiresInSeconds must be ${SECONDS}` })
  @Max(GUEST_LINK_SECONDS.max, { message: `expiresInSeconds must be ${SECONDS}` })
  expiresInSeconds?: number;
}

export class GuestLinkRevokeDto extends CallIdDto implements GuestLinkRevokeRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(ID_MAX)
  linkId!: string;
}

export class LobbyGuestDto extends CallIdDto implements LobbyGuestRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(ID_MAX)
  guestId!: string;
}

/** `POST /api/guest/join`: the link's token and the name the guest gives (trimmed, not empty). */
export class GuestJoinDto implements GuestJoinRequest {
  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'token is required' })
  @MaxLength(2048)
  token!: string;

  @ApiProperty({ maxLength: GUEST_NAME_MAX_LENGTH })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'displayName must be text' })
  @IsNotEmpty({ message: 'Enter your name' })
  @MaxLength(GUEST_NAME_MAX_LENGTH, {
    message: `displayName must be at most ${GUEST_NAME_MAX_LENGTH} characters`,
  })
  displayName!: string;
}

/** `PUT /api/admin/guests`: the fields to change; one left out stays as it is. */
export class GuestSettingsDto implements GuestSettingsUpdate {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;

  @ApiPropertyOptional({ enum: ['host', 'members'] })
  @IsOptional()
  @IsIn(['host', 'members'], { message: 'creators must be "host" or "members"' })
  creators?: GuestLinkCreators;
}
