import {
  type ConnectorCall,
  type ConnectorDefinition,
  type ConnectorSettings,
  type ConnectorUser,
  type HealthResult,
  type SettingsSchema,
} from '@parley/connector-sdk';
import jwt from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Settings of the Jitsi connector (see {@link JITSI_SETTINGS_SCHEMA}). */
export interface JitsiSettings extends ConnectorSettings {
  serviceUrl: string;
  appId: string;
  appSecret: string;
  roomPrefix: string;
  tokenTtlMinutes: number;
}

export const JITSI_SETTINGS_SCHEMA: SettingsSchema = {
  type: 'object',
  properties: {
    serviceUrl: {
      type: 'string',
      title: 'Service URL',
      description: 'Base URL of the Jitsi Meet deployment, e.g. https://meet.example.com',
      format: 'uri',
      pattern: '^https?://[^/?#]+(/[^?#]*)?$',
      maxLength: 500,
    },
    appId: {
      type: 'string',
      title: 'App ID',
      description: 'The `app_id` of Prosody token authentication (JWT issuer).',
      minLength: 1,
      maxLength: 200,
    },
    appSecret: {
      type: 'string',
      title: 'App secret',
      description: 'The `app_secret` of Prosody token authentication (HS256 key).',
      writeOnly: true,
      minLength: 8,
      maxLength: 500,
    },
    roomPrefix: {
      type: 'string',
      title: 'Room prefix',
      description: 'Prepended to every meeting room name.',
      pattern: '^[a-zA-Z0-9_-]*$',
      maxLength: 40,
      default: 'parley-',
    },
    tokenTtlMinutes: {
      type: 'integer',
      title: 'Token lifetime (minutes)',
      minimum: 1,
      maximum: 1440,
      default: 60,
    },
  },
  required: ['serviceUrl', 'appId', 'appSecret'],
};

/** The claims of a Jitsi token (Prosody `token` authentication). */
export interface JitsiClaims {
  aud: 'jitsi';
  iss: string;
  sub: string;
  room: string;
  nbf: number;
  exp: number;
  context: { user: { id: string; name: string; avatar: string; email: string | null } };
}

/** What the client half receives. */
export interface JitsiJoinInfo extends Record<string, unknown> {
  url: string;
  domain: string;
  room: string;
  jwt: string;
  expiresAt: string;
}

const VERSION = (JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string })
  .version;

/** Room name: the prefix plus the call id, reduced to the characters Jitsi accepts in a room name. */
export function jitsiRoomName(prefix: string, call: ConnectorCall): string {
  return `${prefix}${call.id}`.replace(/[^a-zA-Z0-9_-]/g, '-').toLowerCase();
}

function absolute(url: string, base: string): string {
  try {
    return new URL(url, `${base}/`).toString();
  } catch {
    return url;
  }
}

export const jitsiConnector: ConnectorDefinition<JitsiSettings> = {
  type: 'jitsi',
  title: 'Jitsi Meet',
  version: VERSION,
  description: 'Opens calls as meetings on your Jitsi Meet deployment, signed in with a JWT.',
  supportedTargets: ['user', 'room', 'space'],
  capabilities: ['audio', 'video', 'screenShare', 'chat', 'raiseHand', 'reactions'],
  settingsSchema: JITSI_SETTINGS_SCHEMA,
  isConfigured(settings) {
    if (!settings.serviceUrl) return 'Service URL is not set';
    if (!settings.appId) return 'App ID is not set';
    if (!settings.appSecret) return 'App secret is not set';
    return true;
  },
  joinInfo(call: ConnectorCall, user: ConnectorUser, { settings, publicUrl }): JitsiJoinInfo {
    const base = settings.serviceUrl.replace(/\/+$/, '');
    const domain = new URL(base).host;
    const room = jitsiRoomName(settings.roomPrefix, call);
    const now = Math.floor(Date.now() / 1000);
    const exp = now + settings.tokenTtlMinutes * 60;
    const claims: JitsiClaims = {
      aud: 'jitsi',
      iss: settings.appId,
      sub: domain,
      room,
      nbf: now - 10,
      exp,
      context: {
        user: {
          id: user.id,
          name: user.displayName,
          avatar: absolute(user.avatarUrl, publicUrl),
          email: user.email,
        },
      },
    };
    const token = jwt.sign(claims, settings.appSecret, { algorithm: 'HS256', noTimestamp: false });
    return {
      url: `${base}/${encodeURIComponent(room)}?jwt=${encodeURIComponent(token)}`,
      domain,
      room,
      jwt: token,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  },
  async check({ settings }): Promise<HealthResult> {
    try {
      const response = await fetch(settings.serviceUrl, {
        method: 'HEAD',
        signal: AbortSignal.timeout(4000),
      });
      return response.status < 500
        ? { ok: true, detail: `${settings.serviceUrl} answered ${response.status}` }
        : { ok: false, reason: `${settings.serviceUrl} answered ${response.status}` };
    } catch (error) {
      return {
        ok: false,
        reason: `${settings.serviceUrl} unreachable: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  },
  clientModule: { path: join(__dirname, 'client.mjs') },
};
