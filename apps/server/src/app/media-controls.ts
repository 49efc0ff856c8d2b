import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { RecordingUnavailableError, WEBRTC_TYPE } from '@parley/connector-webrtc';
import { CallMediaControls, MediaRecordingUnavailableError } from '@parley/server-calls';
import { findMediasoup } from './ops/media';

/**
 * Wires the built-in connector's media into the call service (host mute / stop screen share
 * enforced on the SFU, `/call stats`, server-side recording). The libraries do not know each
 * other; the app does.
 */
@Injectable()
export class WebrtcMediaBridge implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly controls: CallMediaControls,
  ) {}

  onModuleInit(): void {
    const media = findMediasoup(this.moduleRef);
    if (!media) return; // WEBRTC_ENABLED=false
    this.controls.register(WEBRTC_TYPE, {
      muteUser: (callId, userId) => media.muteUser(callId, userId),
      stopScreenShare: (callId, userId) => media.stopScreenShare(callId, userId),
      stats: (callId, userId) => media.userStats(callId, userId),
      summary: (callId, userId) => media.userSummary(callId, userId),
      record: (options) =>
        media.record(options).catch((error: unknown) => {
          throw error instanceof RecordingUnavailableError
            ? new MediaRecordingUnavailableError(error.message)
            : error;
        }),
    });
  }
}
