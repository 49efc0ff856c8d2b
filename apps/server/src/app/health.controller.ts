import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Public } from '@parley/server-directory';
import type { HealthResponse } from '@parley/protocol';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { VERSION } from './version';

class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty() version!: string;
  @ApiProperty() uptimeSeconds!: number;
  @ApiProperty({ example: { database: { status: 'up', detail: 'better-sqlite3' } } })
  checks!: Record<string, { status: 'up' | 'down'; detail?: string }>;
}

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and database check (503 when degraded)' })
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const driver = this.dataSource.options.type;
    let database: HealthResponse['checks'][string];
    try {
      await this.dataSource.query('SELECT 1');
      database = { status: 'up', detail: driver };
    } catch (error) {
      database = { status: 'down', detail: `${driver}: ${(error as Error).message}` };
    }
    const status = database.status === 'up' ? 'ok' : 'degraded';
    res.status(status === 'ok' ? 200 : 503);
    return { status, version: VERSION, uptimeSeconds: Math.round(process.uptime()), checks: { database } };
  }
}
