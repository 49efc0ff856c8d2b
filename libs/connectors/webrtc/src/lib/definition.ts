import type { ConnectorDefinition } from '@parley/connector-sdk';
import type { WebrtcJoinInfo } from '@parley/protocol';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { MediasoupService } from './mediasoup.service';
import { WEBRTC_SETTINGS_SCHEMA, type WebrtcSettings } from './settings';

export const WEBRTC_TYPE = 'webrtc';
export const WEBRTC_VERSION = '0.1.0';

/**
 * Where the bundled client half is expected (`nx run connector-webrtc:build-client`):
 * `dist/connectors/webrtc/client.js` under the workspace root (the folder with `nx.json` above this
 * file, from the sources or from `dist/server`), else under the working directory.
 */
export function defaultClientModulePath(from: string = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return join(dir, 'dist/connectors/webrtc/client.js');
  }
  return resolve(process.cwd(), 'dist/connectors/webrtc/client.js');
}

/**
 * The built-in WebRTC connector: media through mediasoup (a router per call, WebRtcTransports on one
 * UDP+TCP port per worker), ICE servers and short-lived TURN credentials from the admin list.
 */
export function createWebrtcDefinition(
  media: MediasoupService,
  clientModulePath: string = defaultClientModulePath(),
): ConnectorDefinition<WebrtcSettings> {
  return {
    type: WEBRTC_TYPE,
    title: 'Parley WebRTC',
    version: WEBRTC_VERSION,
    description:
      'Built-in audio and video calls through Parley’s own media server (mediasoup). Works out of the box; add a TURN server for users behind strict NATs.',
    supportedTargets: ['user', 'room'],
    capabilities: ['audio', 'video', 'screenShare', 'chat', 'raiseHand', 'reactions', 'recording', 'guests'],
    settingsSchema: WEBRTC_SETTINGS_SCHEMA,
    isConfigured: () => true,
    usesIceServers: true,
    clientModule: { path: clientModulePath },
    async joinInfo(call, user, context): Promise<WebrtcJoinInfo & Record<string, unknown>> {
      const room = await media.ensureRoom(call.id, context.settings);
      const ice = context.iceConfig(user.id);
      return {
        routerRtpCapabilities: room.rtpCapabilities(),
        iceServers: ice.iceServers,
        iceTransportPolicy: ice.iceTransportPolicy,
        maxBitrate: context.settings.maxBitrate ?? null,
        screenShareAllowed: context.settings.screenShareAllowed !== false,
      };
    },
    hooks: {
      onCallJoined: (call, user, context) => media.join(call.id, user.id, context.settings),
      onCallLeft: (call, user) => media.leave(call.id, user.id),
      onCallEnded: (call) => media.closeRoom(call.id),
    },
    // The admin's Check also looks for ffmpeg again (installed since start-up?).
    async check() {
      await media.checkRecording().catch(() => undefined);
      return media.workerCount > 0
        ? { ok: true, detail: `${media.workerCount} mediasoup worker(s) running` }
        : { ok: false, reason: 'No mediasoup worker is running (see the server log)' };
    },
    unavailableCapabilities: () => {
      const reason = media.recordingUnavailable;
      return reason ? [{ capability: 'recording', reason }] : [];
    },
  };
}
