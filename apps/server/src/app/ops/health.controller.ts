import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  type HealthCheckResult,
  type HealthIndicatorResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { Public } from '@parley/server-directory';
import type { HealthResponse } from '@parley/protocol';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { REDIS_CLUSTER } from '../cluster/cluster-token';
import type { RedisCluster } from '../cluster/redis-cluster';
import { VERSION } from '../version';
import { DrainService } from './drain.service';
import { MediaReadiness } from './media-readiness';

/** The database answers `SELECT 1` within this, or the server is not ready. */
const DATABASE_PING_MS = 2000;

class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty() version!: string;
  @ApiProperty() uptimeSeconds!: number;
  @ApiProperty({ example: { database: { status: 'up', detail: 'better-sqlite3' } } })
  checks!: Record<string, { status: 'up' | 'down'; detail?: string }>;
}

/**
 * Health for load balancers and orchestrators (unauthenticated): `GET /api/health` (version and
 * database, the original shape), `/api/health/live` (the process answers) and `/api/health/ready`
 * (not draining, Redis in cluster mode, database, every mediasoup worker, ffmpeg; 503 naming what failed). Terminus
 * answers the last two.
 */
@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly terminus: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly media: MediaReadiness,
    private readonly drain: DrainService,
    /** Cluster mode only. */
    @Optional() @Inject(REDIS_CLUSTER) private readonly cluster?: RedisCluster,
  ) {}

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

  @Public()
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (200)' })
  live(): Promise<HealthCheckResult> {
    return this.terminus.check([
      () =>
        this.indicators
          .check('process')
          .up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()), version: VERSION }),
    ]);
  }

  @Public()
  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: not draining (SIGTERM), Redis (cluster mode), database, every mediasoup worker, ffmpeg (503 with the failing checks under `error`)',
  })
  ready(): Promise<HealthCheckResult> {
    return this.terminus.check([
      () => this.draining(),
      ...(this.cluster ? [() => this.redis()] : []),
      () => this.database.pingCheck('database', { timeout: DATABASE_PING_MS }),
      ...this.media.checks(),
    ]);
  }

  /** Cluster mode: `redis` is down while the command connection is (it reconnects by itself). */
  private redis(): HealthIndicatorResult {
    const check = this.indicators.check('redis');
    const cluster = this.cluster as RedisCluster;
    return cluster.commands.status === 'ready'
      ? check.up({ node: cluster.nodeId })
      : check.down({
          message: `Redis unreachable at ${cluster.where()} (${cluster.commands.status}): retrying`,
        });
  }

  /** `drain` is down from SIGTERM on, so load balancers stop sending new users here. */
  private draining(): HealthIndicatorResult {
    const check = this.indicators.check('drain');
    if (!this.drain.draining) return check.up();
    const { liveCalls, remainingSeconds } = this.drain.status();
    return check.down({
      message: 'draining: the server is shutting down',
      liveCalls,
      remainingSeconds,
    });
  }
}
