import type {
  MediaKind,
  WebrtcConsumeRequest,
  WebrtcConsumerRequest,
  WebrtcDirection,
  WebrtcPreferredLayersRequest,
  WebrtcProduceRequest,
  WebrtcProducerRequest,
  WebrtcQualityRequest,
  WebrtcStatsRequest,
  WebrtcTransportConnectRequest,
  WebrtcTransportCreateRequest,
  WebrtcTransportRequest,
} from '@parley/protocol';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AppData, DtlsParametersDto, RtpCapabilitiesDto, RtpParametersDto } from './media-descriptions.dto';

class Id {
  static readonly max = 64;
}

// The media descriptions are validated as their DTO classes (`@Type`, media-descriptions.dto.ts)
// and handed on as the protocol's opaque records.

export class CallIdDto {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) callId!: string;
}

export class TransportCreateDto implements WebrtcTransportCreateRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) callId!: string;
  @IsIn(['send', 'recv'], { message: 'direction must be send or recv' }) direction!: WebrtcDirection;
}

export class TransportConnectDto implements WebrtcTransportConnectRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) transportId!: string;
  @IsObject() @ValidateNested() @Type(() => DtlsParametersDto) dtlsParameters!: Record<string, unknown>;
}

export class TransportDto implements WebrtcTransportRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) transportId!: string;
}

export class ProduceDto implements WebrtcProduceRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) transportId!: string;
  @IsIn(['audio', 'video'], { message: 'kind must be audio or video' }) kind!: MediaKind;
  @IsObject() @ValidateNested() @Type(() => RtpParametersDto) rtpParameters!: Record<string, unknown>;
  @IsOptional() @AppData() appData?: Record<string, unknown>;
}

export class ProducerDto implements WebrtcProducerRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) producerId!: string;
}

export class ConsumeDto implements WebrtcConsumeRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) callId!: string;
  @IsString() @IsNotEmpty() @MaxLength(Id.max) producerId!: string;
  @IsObject() @ValidateNested() @Type(() => RtpCapabilitiesDto) rtpCapabilities!: Record<string, unknown>;
}

export class ConsumerDto implements WebrtcConsumerRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) consumerId!: string;
}

export class StatsDto implements WebrtcStatsRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) id!: string;
}

export class QualityDto implements WebrtcQualityRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) transportId!: string;
  @IsIn(['host', 'srflx', 'prflx', 'relay'], { message: 'candidateType must be host, srflx, prflx or relay' })
  candidateType!: WebrtcQualityRequest['candidateType'];
}

export class PreferredLayersDto implements WebrtcPreferredLayersRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) consumerId!: string;
  @IsInt() @Min(0) @Max(15) spatialLayer!: number;
  @IsOptional() @IsInt() @Min(0) @Max(15) temporalLayer?: number;
}
