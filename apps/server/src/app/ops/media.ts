import type { ModuleRef } from '@nestjs/core';
import { MediasoupService } from '@parley/connector-webrtc';

/** The built-in WebRTC connector's media service, or null when it is off (`WEBRTC_ENABLED=false`). */
export function findMediasoup(moduleRef: ModuleRef): MediasoupService | null {
  try {
    return moduleRef.get(MediasoupService, { strict: false });
  } catch {
    return null;
  }
}
