import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { LiveCalls, RecordingService } from '@parley/server-calls';
import { createHash, timingSafeEqual } from 'node:crypto';
import { findMediasoup } from './media';
import { type CallLoad, ParleyMetrics } from './metrics';
import { OPS_OPTIONS, type OpsOptions } from './ops.options';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The server's metrics when METRICS_TOKEN is set ({@link ParleyMetrics} over the live calls, the
 * recordings, the media service and the socket server), nothing otherwise.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  private metrics: ParleyMetrics | null = null;
  private sockets: () => number = () => 0;
  private readonly tokenDigest: Buffer | null;

  constructor(
    @Inject(OPS_OPTIONS) options: OpsOptions,
    private readonly moduleRef: ModuleRef,
  ) {
    this.tokenDigest = options.metricsToken === null ? null : digest(options.metricsToken);
  }

  get enabled(): boolean {
    return this.tokenDigest !== null;
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    const calls = this.moduleRef.get(LiveCalls, { strict: false });
    const recordings = this.moduleRef.get(RecordingService, { strict: false });
    const media = findMediasoup(this.moduleRef);
    this.metrics = new ParleyMetrics({
      sockets: () => this.sockets(),
      calls: function* (): Iterable<CallLoad> {
        for (const live of calls.live()) {
          const { providerType, kind } = live.machine.info;
          yield { provider: providerType, kind, participants: live.machine.joinedIds.length };
        }
      },
      recordingsActive: () => recordings.activeCount,
      ...(media && {
        media: () => media.mediaCounts(),
        workers: async () =>
          (await media.probeWorkers()).flatMap((probe) =>
            probe.usage
              ? [
                  {
                    worker: String(probe.index),
                    cpuSeconds: (probe.usage.ru_utime + probe.usage.ru_stime) / 1000,
                    // ru_maxrss is in kilobytes (getrusage on Linux)
                    maxRssBytes: probe.usage.ru_maxrss * 1024,
                  },
                ]
              : [],
          ),
      }),
    });
  }

  /** Whether an `Authorization` header carries METRICS_TOKEN as a bearer token (constant time). */
  authorized(header: string | undefined): boolean {
    const match = /^Bearer (\S+)$/i.exec(header?.trim() ?? '');
    return this.tokenDigest !== null && match !== null && timingSafeEqual(digest(match[1]), this.tokenDigest);
  }

  /** The socket server's connection count (the socket adapter tells it once the server exists). */
  watchSockets(count: () => number): void {
    this.sockets = count;
  }

  /** One answered socket request (the socket adapter calls this when metrics are on). */
  socketReply(event: string, reply: unknown): void {
    this.metrics?.socketReply(event, reply);
  }

  /** One socket request refused `rate_limited` by `limit` (the socket gate calls this when metrics are on). */
  socketRateLimited(event: string, limit: string): void {
    this.metrics?.socketRateLimited(event, limit);
  }

  /** The exposition (metrics on: {@link enabled}). */
  render(): Promise<{ contentType: string; body: string }> {
    if (!this.metrics) throw new Error('metrics are off');
    return this.metrics.render();
  }
}
