export * from './lib/definition';
export * from './lib/errors';
export * from './lib/mediasoup.service';
export * from './lib/settings';
export * from './lib/webrtc.gateway';
export * from './lib/webrtc.module';
