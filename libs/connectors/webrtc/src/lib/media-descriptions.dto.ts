/**
 * The media descriptions clients send in `webrtc.*` requests (mediasoup's DtlsParameters,
 * RtpParameters, RtpCapabilities), validated field by field at the socket edge before mediasoup
 * sees them: every field mediasoup's and mediasoup-client's types have (no other), each bounded in
 * type, range and length, so a malformed one is refused `bad_request` naming the field.
 * mediasoup still checks what they mean (codecs it can route, unique payload types).
 */
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';

const MEDIA_KINDS = ['audio', 'video'];
const PRIORITIES = ['very-low', 'low', 'medium', 'high'];
const FINGERPRINT_ALGORITHMS = ['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512'];
/** `audio/opus`, `video/VP8`, `video/rtx`, `audio/telephone-event`… */
const MIME_TYPE = /^(audio|video)\/[\w.+-]{1,40}$/i;
/** Colon-separated hex bytes, at most 64 of them (SHA-512); RFC 8122 §5. */
const FINGERPRINT = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){0,63}$/;
const MAX_SSRC = 0xffff_ffff;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Codec or header-extension `parameters`: a flat map of a few numbers, booleans or short strings. */
function FlatParameters(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'flatParameters',
      validator: {
        validate: (value: unknown) =>
          isPlainObject(value) &&
          Object.keys(value).length <= 32 &&
          Object.entries(value).every(
            ([key, item]) =>
              key.length <= 64 &&
              (typeof item === 'boolean' ||
                (typeof item === 'number' && Number.isFinite(item)) ||
                (typeof item === 'string' && item.length <= 256)),
          ),
        defaultMessage: () => '$property must map at most 32 names to numbers or short strings',
      },
    },
    options,
  );
}

/** An array of 0..`max` objects, each validated as `type`. */
function ListOf(type: () => new () => object, max: number, min = 0): PropertyDecorator {
  return applyDecorators(
    IsArray({
      message: `$property must be a list of ${min > 0 ? `${min} to ${max}` : `at most ${max}`} objects`,
    }),
    ...(min > 0 ? [ArrayMinSize(min, { message: `$property must list at least ${min}` })] : []),
    ArrayMaxSize(max, { message: `$property must list at most ${max}` }),
    IsObject({ each: true, message: '$property must list objects' }),
    ValidateNested({ each: true }),
    Type(type),
  );
}

/** A nested object validated as `type`. */
function NestedObject(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsObject({ message: '$property must be an object' }), ValidateNested(), Type(type));
}

/** An integer `min`..`max` (one message for all three checks). */
function Integer(min: number, max: number): PropertyDecorator {
  const message = `$property must be an integer ${min}-${max}`;
  return applyDecorators(IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

/** A string of at most `max` characters (one message for both checks). */
function ShortString(max: number): PropertyDecorator {
  const message = `$property must be a string of at most ${max} characters`;
  return applyDecorators(IsString({ message }), MaxLength(max, { message }));
}

// ---- DTLS ----------------------------------------------------------------------------------------

export class DtlsFingerprintDto {
  @IsIn(FINGERPRINT_ALGORITHMS, { message: `$property must be one of: ${FINGERPRINT_ALGORITHMS.join(', ')}` })
  algorithm!: string;

  @ShortString(191)
  @Matches(FINGERPRINT, { message: '$property must be colon-separated hex bytes (AB:CD:…)' })
  value!: string;
}

export class DtlsParametersDto {
  @IsOptional()
  @IsIn(['auto', 'client', 'server'], { message: '$property must be auto, client or server' })
  role?: string;

  @ListOf(() => DtlsFingerprintDto, 8, 1)
  fingerprints!: DtlsFingerprintDto[];
}

// ---- RTP parameters (webrtc.produce) -------------------------------------------------------------

export class RtcpFeedbackDto {
  @ShortString(32) @IsNotEmpty() type!: string;
  @IsOptional() @ShortString(32) parameter?: string;
}

export class RtpCodecParametersDto {
  @IsString({ message: '$property must be a MIME type such as audio/opus' })
  @Matches(MIME_TYPE, { message: '$property must be a MIME type such as audio/opus' })
  mimeType!: string;

  @Integer(0, 127) payloadType!: number;
  @Integer(1, 1_000_000) clockRate!: number;
  @IsOptional() @Integer(1, 16) channels?: number;
  @IsOptional() @FlatParameters() parameters?: Record<string, unknown>;
  @IsOptional() @ListOf(() => RtcpFeedbackDto, 16) rtcpFeedback?: RtcpFeedbackDto[];
}

export class RtpHeaderExtensionParametersDto {
  @ShortString(256) @IsNotEmpty() uri!: string;
  @Integer(1, 255) id!: number;
  @IsOptional() @IsBoolean() encrypt?: boolean;
  @IsOptional() @FlatParameters() parameters?: Record<string, unknown>;
}

export class RtxDto {
  @Integer(0, MAX_SSRC) ssrc!: number;
}

export class RtpEncodingParametersDto {
  @IsOptional() @IsBoolean() active?: boolean;
  @IsOptional() @Integer(0, MAX_SSRC) ssrc?: number;
  @IsOptional() @ShortString(32) rid?: string;
  @IsOptional() @Integer(0, 127) codecPayloadType?: number;
  @IsOptional() @NestedObject(() => RtxDto) rtx?: RtxDto;
  @IsOptional() @IsBoolean() dtx?: boolean;
  @IsOptional() @ShortString(16) scalabilityMode?: string;
  @IsOptional()
  @IsNumber({}, { message: '$property must be a number 1-64' })
  @Min(1)
  @Max(64)
  scaleResolutionDownBy?: number;
  @IsOptional() @Integer(0, 100_000_000) maxBitrate?: number;
  @IsOptional()
  @IsNumber({}, { message: '$property must be a number 0-240' })
  @Min(0)
  @Max(240)
  maxFramerate?: number;
  @IsOptional() @IsBoolean() adaptivePtime?: boolean;
  @IsOptional()
  @IsIn(PRIORITIES, { message: `$property must be one of: ${PRIORITIES.join(', ')}` })
  priority?: string;
  @IsOptional()
  @IsIn(PRIORITIES, { message: `$property must be one of: ${PRIORITIES.join(', ')}` })
  networkPriority?: string;
}

export class RtcpParametersDto {
  @IsOptional() @ShortString(256) cname?: string;
  @IsOptional() @IsBoolean() reducedSize?: boolean;
  @IsOptional() @IsBoolean() mux?: boolean;
}

export class RtpParametersDto {
  @IsOptional() @ShortString(32) mid?: string;
  // An empty list is left to the produce itself (after the screen-share policy): it names the kind.
  @ListOf(() => RtpCodecParametersDto, 16) codecs!: RtpCodecParametersDto[];
  @IsOptional()
  @ListOf(() => RtpHeaderExtensionParametersDto, 32)
  headerExtensions?: RtpHeaderExtensionParametersDto[];
  @IsOptional() @ListOf(() => RtpEncodingParametersDto, 16) encodings?: RtpEncodingParametersDto[];
  @IsOptional() @NestedObject(() => RtcpParametersDto) rtcp?: RtcpParametersDto;
  @IsOptional() @ShortString(256) msid?: string;
}

// ---- RTP capabilities (webrtc.consume: the browser device's) -------------------------------------

export class RtpCodecCapabilityDto {
  @IsIn(MEDIA_KINDS, { message: '$property must be audio or video' }) kind!: string;

  @IsString({ message: '$property must be a MIME type such as audio/opus' })
  @Matches(MIME_TYPE, { message: '$property must be a MIME type such as audio/opus' })
  mimeType!: string;

  @IsOptional() @Integer(0, 127) preferredPayloadType?: number;
  @Integer(1, 1_000_000) clockRate!: number;
  @IsOptional() @Integer(1, 16) channels?: number;
  @IsOptional() @FlatParameters() parameters?: Record<string, unknown>;
  @IsOptional() @ListOf(() => RtcpFeedbackDto, 16) rtcpFeedback?: RtcpFeedbackDto[];
}

export class RtpHeaderExtensionCapabilityDto {
  @IsIn(MEDIA_KINDS, { message: '$property must be audio or video' }) kind!: string;
  @ShortString(256) @IsNotEmpty() uri!: string;
  @Integer(1, 255) preferredId!: number;
  @IsOptional() @IsBoolean() preferredEncrypt?: boolean;
  @IsOptional()
  @IsIn(['sendrecv', 'sendonly', 'recvonly', 'inactive'], {
    message: '$property must be sendrecv, sendonly, recvonly or inactive',
  })
  direction?: string;
}

export class RtpCapabilitiesDto {
  @IsOptional() @ListOf(() => RtpCodecCapabilityDto, 100) codecs?: RtpCodecCapabilityDto[];
  @IsOptional()
  @ListOf(() => RtpHeaderExtensionCapabilityDto, 64)
  headerExtensions?: RtpHeaderExtensionCapabilityDto[];
}

// ---- appData (webrtc.produce) --------------------------------------------------------------------

/** The most `appData` a producer may carry (JSON characters): it is stored and sent to everyone. */
export const MAX_APP_DATA_JSON = 1_024;
export const WEBRTC_SOURCES = ['mic', 'camera', 'screen'];

/** A producer's `appData`: a small JSON object whose `source`, when given, is mic, camera or screen. */
export function AppData(): PropertyDecorator {
  return ValidateBy({
    name: 'appData',
    validator: {
      validate: (value: unknown) =>
        isPlainObject(value) &&
        (value['source'] === undefined || WEBRTC_SOURCES.includes(value['source'] as string)) &&
        JSON.stringify(value).length <= MAX_APP_DATA_JSON,
      defaultMessage: () =>
        `$property must be an object of at most ${MAX_APP_DATA_JSON} characters of JSON, its source one of: ${WEBRTC_SOURCES.join(', ')}`,
    },
  });
}
