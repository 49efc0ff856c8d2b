import { Controller, Get, Headers, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@parley/server-directory';
import type { Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * `GET /metrics`, Prometheus text format, for scrapers with `Authorization: Bearer <METRICS_TOKEN>`
 * (not for users: outside the session guard and the API documentation). 404 when metrics are off.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Public()
  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (!this.metrics.enabled) {
      throw new NotFoundException('Metrics are off (set METRICS_TOKEN to turn them on)');
    }
    if (!this.metrics.authorized(authorization)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('Send Authorization: Bearer <METRICS_TOKEN>');
    }
    const { contentType, body } = await this.metrics.render();
    // end(), not send(): the content type stays exactly prom-client's (send() would add a charset).
    res.status(200).setHeader('Content-Type', contentType).setHeader('Cache-Control', 'no-store').end(body);
  }
}
