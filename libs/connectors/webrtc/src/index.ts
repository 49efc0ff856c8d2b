export * from './lib/definition';
export * from './lib/mediasoup.service';
export * from './lib/settings';
export * from './lib/webrtc.gateway';
export * from './lib/webrtc.module';
export type { Recording, RecordingResult } from './lib/recording/recorder';
export * from './lib/recording/recording-types';
