import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DrainService } from './drain.service';
import { HealthController } from './health.controller';
import { MediaReadiness } from './media-readiness';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { OPS_OPTIONS, type OpsOptions } from './ops.options';

/**
 * Operating the server: health (`/api/health`, `/api/health/live`, `/api/health/ready`) and
 * Prometheus metrics (`/metrics`, when METRICS_TOKEN is set), read from the other modules' live
 * state without changing it; and the drain on SIGTERM (`DrainService`), which ends the calls still
 * live. `docs/operations.md` lists the endpoints, every metric and the drain.
 */
@Module({})
export class OpsModule {
  static forRoot(options: OpsOptions): DynamicModule {
    return {
      module: OpsModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: OPS_OPTIONS, useValue: options }, MetricsService, MediaReadiness, DrainService],
      exports: [MetricsService, DrainService],
    };
  }
}
