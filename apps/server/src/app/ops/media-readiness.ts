import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import type { MediasoupService } from '@parley/connector-webrtc';
import { errorMessage } from '@parley/protocol';
import { findMediasoup } from './media';

/** A worker that does not answer its probe within this is not ready. */
const WORKER_PROBE_MS = 1000;

/**
 * The readiness checks of the built-in WebRTC connector: one per mediasoup worker slot
 * (`mediasoup-worker-<n>`: running and answering) and `ffmpeg` (recording can work). None when
 * the connector is off.
 */
@Injectable()
export class MediaReadiness implements OnModuleInit {
  private media: MediasoupService | null = null;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly indicators: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.media = findMediasoup(this.moduleRef);
  }

  checks(): HealthIndicatorFunction[] {
    const media = this.media;
    if (!media) return [];
    return [() => this.workers(media), () => this.ffmpeg(media)];
  }

  private async workers(media: MediasoupService): Promise<HealthIndicatorResult> {
    const result: HealthIndicatorResult = {};
    for (const probe of await media.probeWorkers(WORKER_PROBE_MS)) {
      const check = this.indicators.check(`mediasoup-worker-${probe.index}`);
      Object.assign(
        result,
        probe.usage
          ? check.up({ pid: probe.pid })
          : check.down({ pid: probe.pid, message: probe.problem ?? 'not running' }),
      );
    }
    return result;
  }

  private async ffmpeg(media: MediasoupService): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('ffmpeg');
    try {
      await media.checkRecording();
      return check.up();
    } catch (error) {
      return check.down({ message: errorMessage(error) });
    }
  }
}
