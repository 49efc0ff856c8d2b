import type { SettingsSchema } from '@parley/connector-sdk';

export interface JanusSettings {
  [key: string]: string | number | boolean | undefined;
  /** The Janus API over WebSocket, as browsers reach it: `wss://janus.example.com/janus`. */
  gatewayUrl: string;
  /** The admin API, as the Parley server reaches it: `ws://` (admin websockets) or `http://` (admin HTTP). */
  adminUrl: string;
  adminSecret: string;
  /** Janus runs with `token_auth = true`: Parley adds a token per user and call through the admin API. */
  tokenAuth: boolean;
  /** The VideoRoom plugin's `admin_key`, when it is set (room creation needs it then). */
  roomAdminKey?: string;
  /** Max publishers per room (one-to-one calls need 2). */
  maxPublishers: number;
  /** Max bitrate per publisher, bits/s (0: Janus' default). */
  bitrate: number;
}

export const JANUS_SETTINGS_SCHEMA: SettingsSchema = {
  type: 'object',
  properties: {
    gatewayUrl: {
      type: 'string',
      title: 'Gateway WebSocket URL',
      description:
        'The Janus API over WebSocket as browsers reach it (ws:// or wss://), e.g. wss://janus.example.com/ws',
      format: 'uri',
      pattern: '^wss?://[^/?#]+(/[^?#]*)?$',
    },
    adminUrl: {
      type: 'string',
      title: 'Gateway Admin URL',
      description:
        'The admin API as the Parley server reaches it: the admin WebSocket (ws://host:7188) or admin HTTP (http://host:7088/admin)',
      format: 'uri',
      pattern: '^(wss?|https?)://[^/?#]+(/[^?#]*)?$',
    },
    adminSecret: {
      type: 'string',
      title: 'Gateway Admin Secret',
      description: 'admin_secret of janus.jcfg',
      writeOnly: true,
      minLength: 1,
    },
    tokenAuth: {
      type: 'boolean',
      title: 'Token authentication',
      description:
        'Janus runs with token_auth = true: Parley adds a token per user and call, removed when the call ends',
      default: false,
    },
    roomAdminKey: {
      type: 'string',
      title: 'VideoRoom admin key',
      description: 'admin_key of janus.plugin.videoroom.jcfg, if set',
      writeOnly: true,
    },
    maxPublishers: {
      type: 'integer',
      title: 'Max publishers per room',
      minimum: 2,
      maximum: 100,
      default: 16,
    },
    bitrate: {
      type: 'integer',
      title: 'Max bitrate per publisher (bit/s, 0 = Janus default)',
      minimum: 0,
      maximum: 10000000,
      default: 0,
    },
  },
  required: ['gatewayUrl', 'adminUrl', 'adminSecret'],
};
