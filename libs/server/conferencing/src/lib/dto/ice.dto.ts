import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ICE_CREDENTIAL_TYPES,
  ICE_TRANSPORT_POLICIES,
  type IceCredentialType,
  type IceServerInput,
  type IceSettingsUpdate,
  type IceTransportPolicy,
  iceUrlProblem,
} from '@parley/protocol';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { EveryItem } from '../util/validation';

// Admin ICE input (`/api/admin/ice-servers`), checked by `FieldValidationPipe` at the REST edge:
// a 400 `ValidationErrorResponse` names each bad field, in the words the admin page shows.

/** Lifetime bounds of minted TURN REST credentials, in seconds. */
export const TTL_RANGE = [60, 7 * 86400] as const;

/** The field, when the body has it; `null` is refused unless the rules allow it. */
const IfGiven = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** A string of at most `max` characters. */
const Text = (max: number, message: string) =>
  applyDecorators(IsString({ message }), MaxLength(max, { message }));

/** A secret or username: a string sets it, `null` or `''` clears it. */
const Clearable = (max: number) =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, maxLength: max }),
    IsOptional(),
    Text(max, `$property must be a string of at most ${max} characters, or null`),
  );

const URLS = 'urls must list 1 to 10 URLs';
/** Far longer than any real ICE URL; a longer one is refused before it is parsed (or echoed). */
const MAX_URL_LENGTH = 500;
/** 1 to 10 ICE URLs, each by the one rule shared with the admin page (`iceUrlProblem`). */
const IceUrls = () =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], example: ['turn:turn.example.com:3478?transport=udp'] }),
    IsArray({ message: URLS }),
    ArrayMinSize(1, { message: URLS }),
    ArrayMaxSize(10, { message: URLS }),
    EveryItem((url) => {
      if (typeof url !== 'string') return 'must be a string';
      return url.length > MAX_URL_LENGTH
        ? `must be at most ${MAX_URL_LENGTH} characters`
        : iceUrlProblem(url.trim());
    }),
  );

const LABEL = 'label must be a string of at most 200 characters';
const TTL = `ttlSeconds must be an integer ${TTL_RANGE[0]}-${TTL_RANGE[1]}`;

/** The fields of an ICE server but its URLs. */
abstract class IceServerFieldsDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IfGiven()
  @Text(200, LABEL)
  label?: string;

  @ApiPropertyOptional({ enum: ICE_CREDENTIAL_TYPES })
  @IfGiven()
  @IsIn(ICE_CREDENTIAL_TYPES as IceCredentialType[], {
    message: 'credentialType must be none, static or rest',
  })
  credentialType?: IceCredentialType;

  @Clearable(200)
  username?: string | null;

  @Clearable(500)
  credential?: string | null;

  @Clearable(500)
  sharedSecret?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: TTL_RANGE[0], maximum: TTL_RANGE[1] })
  @IsOptional()
  @IsInt({ message: TTL })
  @Min(TTL_RANGE[0], { message: TTL })
  @Max(TTL_RANGE[1], { message: TTL })
  ttlSeconds?: number | null;

  @ApiPropertyOptional()
  @IfGiven()
  @IsBoolean({ message: 'enabled must be a boolean' })
  enabled?: boolean;
}

/** `POST /api/admin/ice-servers`: `urls` required. */
export class CreateIceServerDto extends IceServerFieldsDto implements IceServerInput {
  @IceUrls()
  urls!: string[];
}

/** `PUT /api/admin/ice-servers/:id`: a patch, omitted fields keep their value. */
export class UpdateIceServerDto extends IceServerFieldsDto implements IceServerInput {
  @IfGiven()
  @IceUrls()
  urls?: string[];
}

const ORDER = 'order must list every ICE server id once';

/** `PUT /api/admin/ice-servers`: the new order (every id once, checked by the service) and/or the policy. */
export class IceSettingsDto implements IceSettingsUpdate {
  @ApiPropertyOptional({ type: [String] })
  @IfGiven()
  @IsArray({ message: ORDER })
  @IsString({ each: true, message: ORDER })
  order?: string[];

  @ApiPropertyOptional({ enum: ICE_TRANSPORT_POLICIES })
  @IfGiven()
  @IsIn(ICE_TRANSPORT_POLICIES as IceTransportPolicy[], {
    message: 'iceTransportPolicy must be all or relay',
  })
  iceTransportPolicy?: IceTransportPolicy;
}
