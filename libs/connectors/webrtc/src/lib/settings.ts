import type { ConnectorSettings } from '@parley/connector-sdk';
import type { SettingsSchema } from '@parley/protocol';

/** Settings of the built-in WebRTC connector (admin page). */
export interface WebrtcSettings extends ConnectorSettings {
  /** Address mediasoup listens on (`0.0.0.0` = every interface). */
  listenIp: string;
  /** ICE host override: the address browsers reach (public IP or host name); empty = detect. */
  announcedAddress: string;
  /** UDP+TCP port of the first worker's WebRtcServer (worker i uses port + i); 0 = ephemeral. */
  rtcPort: number;
  /** Max outgoing bitrate of a send transport (bps). */
  maxBitrate: number;
  /** Whether participants may share their screen (a `screen` producer is refused otherwise). */
  screenShareAllowed: boolean;
  /** Longest recording (minutes); the call service stops a recording then. */
  recordingMaxMinutes?: number;
}

export const DEFAULT_RTC_PORT = 40000;
export const DEFAULT_MAX_BITRATE = 1_500_000;
export const DEFAULT_RECORDING_MAX_MINUTES = 60;

export const WEBRTC_SETTINGS_SCHEMA: SettingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    listenIp: {
      type: 'string',
      title: 'Listen address',
      description: 'Address the media server listens on. 0.0.0.0 listens on every interface.',
      default: '0.0.0.0',
      pattern: '^(\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:]+)$',
      patternMessage: 'Listen address must be an IPv4 or IPv6 address, such as 0.0.0.0 or ::',
    },
    announcedAddress: {
      type: 'string',
      title: 'ICE host override',
      description:
        'Public IP address or host name browsers use to reach the media server (behind NAT or in a container). Empty: the first non-loopback IPv4 address of this machine (127.0.0.1 if there is none).',
      default: '',
      maxLength: 253,
      pattern: '^[A-Za-z0-9.:-]*$',
    },
    rtcPort: {
      type: 'integer',
      title: 'Media port (UDP+TCP)',
      description:
        'One UDP and TCP port for all media of the first worker; worker n uses port + n. Open it in the firewall. 0 picks free ports (tests).',
      default: DEFAULT_RTC_PORT,
      minimum: 0,
      maximum: 65535,
    },
    maxBitrate: {
      type: 'integer',
      title: 'Max bitrate (bps)',
      description: 'Upper bound of what one participant sends.',
      default: DEFAULT_MAX_BITRATE,
      minimum: 100_000,
      maximum: 50_000_000,
    },
    screenShareAllowed: {
      type: 'boolean',
      title: 'Allow screen sharing',
      description: 'Off: nobody can share their screen in calls placed with this provider.',
      default: true,
    },
    recordingMaxMinutes: {
      type: 'integer',
      title: 'Max recording duration (minutes)',
      description: 'A call recording stops after this long (one WebM file on the server).',
      default: DEFAULT_RECORDING_MAX_MINUTES,
      minimum: 15,
      maximum: 180,
    },
  },
};
