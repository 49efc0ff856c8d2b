import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MediaReadiness } from './media-readiness';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { OPS_OPTIONS, type OpsOptions } from './ops.options';

/**
 * Operating the server: health (`/api/health`, `/api/health/live`, `/api/health/ready`) and
 * Prometheus metrics (`/metrics`, when METRICS_TOKEN is set). Reads the other modules' live state,
 * never changes it. `docs/operations.md` lists the endpoints and every metric.
 */
@Module({})
export class OpsModule {
  static forRoot(options: OpsOptions): DynamicModule {
    return {
      module: OpsModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: OPS_OPTIONS, useValue: options }, MetricsService, MediaReadiness],
      exports: [MetricsService],
    };
  }
}
