import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MediasoupService, RecordingUnavailableError, WEBRTC_TYPE } from '@parley/connector-webrtc';
import { CallMediaControls, MediaRecordingUnavailableError } from '@parley/server-calls';

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
    let media: MediasoupService;
    try {
      media = this.moduleRef.get(MediasoupService, { strict: false });
    } catch {
      return; // WEBRTC_ENABLED=false
    }
    this.controls.register(WEBRTC_TYPE, {
      muteUser: (callId, userId) => media.muteUser(callId, userId),
      stopScreenShare: (callId, userId) => media.stopScreenShare(callId, userId),
      stats: (callId, userId) => media.userStats(callId, userId),
      record: (options) =>
        media.record(options).catch((error: unknown) => {
          throw error instanceof RecordingUnavailableError
            ? new MediaRecordingUnavailableError(error.message)
            : error;
        }),
    });
  }
}
