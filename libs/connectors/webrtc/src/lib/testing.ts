// Shared by this library's specs (not built into the server).
import { Logger } from '@nestjs/common';
import type { types } from 'mediasoup';
import type { WebrtcPush } from './media/media-types';
import { Room } from './media/room';
import type { WorkerPool } from './media/worker-pool';
import type { WebrtcSettings } from './settings';

/** Provider settings for specs with a real worker: loopback, free ports. */
export const LOOPBACK_SETTINGS: WebrtcSettings = {
  listenIp: '127.0.0.1',
  announcedAddress: '',
  rtcPort: 0,
  maxBitrate: 1_000_000,
  screenShareAllowed: true,
};

/** What a plain-RTP sender of Opus (`audio`) or VP8 (`video`) with this SSRC produces. */
export function rtpParameters(kind: 'audio' | 'video', ssrc: number): types.RtpParameters {
  return {
    codecs: [
      kind === 'audio'
        ? { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }
        : { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 },
    ],
    encodings: [{ ssrc }],
  };
}

/** A room on a new router of `pool` (speaker observers on), and every push it made. */
export async function openTestRoom(
  pool: WorkerPool,
  callId = 'call-1',
  settings: WebrtcSettings = LOOPBACK_SETTINGS,
): Promise<{ room: Room; pushes: WebrtcPush[] }> {
  const pushes: WebrtcPush[] = [];
  const { slot, router } = await pool.createRouter(settings);
  const room = await Room.open(callId, slot, router, settings, {
    push: (socketIds, event, data) => pushes.push({ socketIds, event, data } as WebrtcPush),
    logger: new Logger('spec'),
  });
  return { room, pushes };
}

/** Polls `condition` (every 10 ms) until it holds; rejects after `ms`. */
export async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
