export * from './lib/definition';
export * from './lib/mediasoup.service';
export {
  MEDIA_CODECS,
  WEBRTC_OPTIONS,
  type WebrtcModuleOptions,
  type WebrtcPush,
} from './lib/media/media-types';
export { detectAnnouncedAddress, type WorkerProbe } from './lib/media/worker-pool';
export * from './lib/settings';
export * from './lib/webrtc.gateway';
export * from './lib/webrtc.module';
export type { Recording, RecordingResult } from './lib/recording/recorder';
export * from './lib/recording/recording-types';
