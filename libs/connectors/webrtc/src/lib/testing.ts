// Shared by this library's specs (not built into the server).
import type { WebrtcSettings } from './settings';

/** Provider settings for specs with a real worker: loopback, free ports. */
export const LOOPBACK_SETTINGS: WebrtcSettings = {
  listenIp: '127.0.0.1',
  announcedAddress: '',
  rtcPort: 0,
  maxBitrate: 1_000_000,
  screenShareAllowed: true,
};
