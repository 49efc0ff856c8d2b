import type {
  MediaKind,
  WebrtcConsumeRequest,
  WebrtcConsumerRequest,
  WebrtcDirection,
  WebrtcPreferredLayersRequest,
  WebrtcProduceRequest,
  WebrtcProducerRequest,
  WebrtcStatsRequest,
  WebrtcTransportConnectRequest,
  WebrtcTransportCreateRequest,
  WebrtcTransportRequest,
} from '@parley/protocol';
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
} from 'class-validator';

class Id {
  static readonly max = 64;
}

export class CallIdDto {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) callId!: string;
}

export class TransportCreateDto implements WebrtcTransportCreateRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) callId!: string;
  @IsIn(['send', 'recv'], { message: 'direction must be send or recv' }) direction!: WebrtcDirection;
}

export class TransportConnectDto implements WebrtcTransportConnectRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) transportId!: string;
  @IsObject() dtlsParameters!: Record<string, unknown>;
}

export class TransportDto implements WebrtcTransportRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) transportId!: string;
}

export class ProduceDto implements WebrtcProduceRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) transportId!: string;
  @IsIn(['audio', 'video'], { message: 'kind must be audio or video' }) kind!: MediaKind;
  @IsObject() rtpParameters!: Record<string, unknown>;
  @IsOptional() @IsObject() appData?: Record<string, unknown>;
}

export class ProducerDto implements WebrtcProducerRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) producerId!: string;
}

export class ConsumeDto implements WebrtcConsumeRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) callId!: string;
  @IsString() @IsNotEmpty() @MaxLength(Id.max) producerId!: string;
  @IsObject() rtpCapabilities!: Record<string, unknown>;
}

export class ConsumerDto implements WebrtcConsumerRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) consumerId!: string;
}

export class StatsDto implements WebrtcStatsRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) id!: string;
}

export class PreferredLayersDto implements WebrtcPreferredLayersRequest {
  @IsString() @IsNotEmpty() @MaxLength(Id.max) consumerId!: string;
  @IsInt() @Min(0) @Max(15) spatialLayer!: number;
  @IsOptional() @IsInt() @Min(0) @Max(15) temporalLayer?: number;
}
