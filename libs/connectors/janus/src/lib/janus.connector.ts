import type {
  ConnectorCall,
  ConnectorContext,
  ConnectorDefinition,
  ConnectorUser,
  HealthResult,
  JoinInfo,
} from '@parley/connector-sdk';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { JanusAdminClient, JanusAdminError } from './admin-client';
import { JANUS_SETTINGS_SCHEMA, type JanusSettings } from './settings';

export const JANUS_TYPE = 'janus';
export const JANUS_VIDEOROOM = 'janus.plugin.videoroom';

function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@parley/connector-janus' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}

export const JANUS_VERSION = packageVersion();

/**
 * Where the bundled client half is: `client.mjs` next to this package's entry (`src/`) when it is
 * installed or linked (the server build copies it there), else `dist/connectors/janus/client.mjs`
 * under the workspace root (`nx run connector-janus:build-client`), for tests run from the sources.
 */
export function defaultClientModulePath(from: string = __dirname): string {
  const packaged = [join(from, 'client.mjs'), join(from, '..', 'client.mjs')].find((file) =>
    existsSync(file),
  );
  if (packaged) return packaged;
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return join(dir, 'dist/connectors/janus/client.mjs');
  }
  return join(from, 'client.mjs');
}

/** The VideoRoom room of a Parley call: a stable 48-bit number derived from the call id. */
export function roomIdOf(callId: string): number {
  return createHash('sha256').update(`parley-call:${callId}`).digest().readUIntBE(0, 6);
}

/** Room pin (given to participants) and room secret (kept by the server), derived from the admin secret. */
function roomKeys(callId: string, adminSecret: string): { pin: string; secret: string } {
  const mac = (label: string) =>
    createHmac('sha256', adminSecret).update(`${label}:${callId}`).digest('base64url').slice(0, 24);
  return { pin: mac('pin'), secret: mac('secret') };
}

/** What joinInfo hands to the client half (see `src/client`). */
export interface JanusJoinInfo {
  gatewayUrl: string;
  room: number;
  pin: string;
  /** Per-user, per-call token when token auth is on (added through the admin API), else null. */
  token: string | null;
  display: string;
  iceServers: unknown[];
  iceTransportPolicy: string;
}

interface PreparedCall {
  room: number;
  /** userId -> token (token auth on). */
  tokens: Map<string, Promise<string>>;
  ready: Promise<void>;
}

const ROOM_EXISTS = 427;
const NO_SUCH_ROOM = 426;

/**
 * The server half: a VideoRoom per Parley call, created through the admin API (`message_plugin`)
 * when the call is created (before anyone answers: `joinInfo` stays fast), destroyed when it ends;
 * with token auth, a token per user and call added before joining and removed at the end.
 */
export class JanusCalls {
  private readonly calls = new Map<string, PreparedCall>();

  admin(settings: JanusSettings): JanusAdminClient {
    return new JanusAdminClient(settings.adminUrl, settings.adminSecret);
  }

  /** Creates the room (and the tokens of the users already known) once per call. */
  prepare(call: ConnectorCall, settings: JanusSettings, users: string[]): PreparedCall {
    let prepared = this.calls.get(call.id);
    if (!prepared) {
      const room = roomIdOf(call.id);
      const ready = this.createRoom(call, room, settings);
      prepared = { room, tokens: new Map(), ready };
      this.calls.set(call.id, prepared);
      // A failed creation is retried by the next joinInfo.
      ready.catch(() => {
        if (this.calls.get(call.id)?.ready === ready) this.calls.delete(call.id);
      });
    }
    if (settings.tokenAuth) for (const user of users) this.tokenOf(prepared, user, settings);
    return prepared;
  }

  tokenOf(prepared: PreparedCall, userId: string, settings: JanusSettings): Promise<string> {
    let token = prepared.tokens.get(userId);
    if (!token) {
      const value = randomBytes(24).toString('base64url');
      token = this.admin(settings)
        .request({ janus: 'add_token', token: value, plugins: [JANUS_VIDEOROOM] })
        .then(() => value);
      prepared.tokens.set(userId, token);
      token.catch(() => {
        if (prepared.tokens.get(userId) === token) prepared.tokens.delete(userId);
      });
    }
    return token;
  }

  private async createRoom(call: ConnectorCall, room: number, settings: JanusSettings): Promise<void> {
    const { pin, secret } = roomKeys(call.id, settings.adminSecret);
    try {
      await this.admin(settings).videoroom({
        request: 'create',
        room,
        ...(settings.roomAdminKey ? { admin_key: settings.roomAdminKey } : {}),
        description: `Parley call ${call.id}`,
        secret,
        pin,
        is_private: true,
        permanent: false,
        publishers: settings.maxPublishers,
        ...(settings.bitrate > 0 ? { bitrate: settings.bitrate } : {}),
        audiocodec: 'opus',
        videocodec: 'vp8',
        notify_joining: true,
      });
    } catch (error) {
      if (!(error instanceof JanusAdminError && error.code === ROOM_EXISTS)) throw error;
    }
  }

  async joinInfo(
    call: ConnectorCall,
    user: ConnectorUser,
    context: ConnectorContext<JanusSettings>,
  ): Promise<JanusJoinInfo> {
    const { settings } = context;
    const prepared = this.prepare(call, settings, []);
    const [, token] = await Promise.all([
      prepared.ready,
      settings.tokenAuth ? this.tokenOf(prepared, user.id, settings) : Promise.resolve(null),
    ]);
    const ice = context.iceConfig(user.id);
    return {
      gatewayUrl: settings.gatewayUrl,
      room: prepared.room,
      pin: roomKeys(call.id, settings.adminSecret).pin,
      token,
      display: user.displayName,
      iceServers: ice.iceServers,
      iceTransportPolicy: ice.iceTransportPolicy,
    };
  }

  /** Removes the call's tokens and destroys its room (errors are logged by the caller). */
  async end(call: ConnectorCall, context: ConnectorContext<JanusSettings>): Promise<void> {
    const prepared = this.calls.get(call.id);
    this.calls.delete(call.id);
    const { settings } = context;
    const admin = this.admin(settings);
    const tokens = prepared ? await Promise.allSettled([...prepared.tokens.values()]) : [];
    await prepared?.ready.catch(() => undefined);
    const jobs: Promise<unknown>[] = tokens
      .filter((t): t is PromiseFulfilledResult<string> => t.status === 'fulfilled')
      .map((t) => admin.request({ janus: 'remove_token', token: t.value }));
    jobs.push(
      admin
        .videoroom({
          request: 'destroy',
          room: roomIdOf(call.id),
          secret: roomKeys(call.id, settings.adminSecret).secret,
        })
        .catch((error: unknown) => {
          if (!(error instanceof JanusAdminError && error.code === NO_SUCH_ROOM)) throw error;
        }),
    );
    const failed = (await Promise.allSettled(jobs)).filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    if (failed.length > 0) {
      context.logger.warn(
        `call ${call.id}: cleanup incomplete (${failed.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join('; ')})`,
      );
    }
  }

  /** Calls with a room (for tests and diagnostics). */
  get activeCalls(): number {
    return this.calls.size;
  }
}

/** Health: the admin API answers `info` (VideoRoom loaded) and `get_status` with the admin secret. */
export async function checkJanus(settings: JanusSettings): Promise<HealthResult> {
  const admin = new JanusAdminClient(settings.adminUrl, settings.adminSecret);
  try {
    const info = await admin.request({ janus: 'info' });
    const plugins = Object.keys((info['plugins'] ?? {}) as Record<string, unknown>);
    if (!plugins.includes(JANUS_VIDEOROOM)) {
      return { ok: false, reason: 'The Janus VideoRoom plugin is not loaded (janus.plugin.videoroom)' };
    }
    let status: Record<string, unknown>;
    try {
      status = ((await admin.request({ janus: 'get_status' }))['status'] ?? {}) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof JanusAdminError && error.code === 403) {
        return { ok: false, reason: 'Janus refused the Gateway Admin Secret (403 Unauthorized)' };
      }
      throw error;
    }
    const tokenAuth = status['token_auth'] === true;
    if (tokenAuth !== settings.tokenAuth) {
      return {
        ok: false,
        reason: tokenAuth
          ? 'Janus requires tokens (token_auth = true): switch Token authentication on'
          : 'Token authentication is on, but Janus runs without token_auth',
      };
    }
    const version = typeof info['version_string'] === 'string' ? info['version_string'] : '?';
    const name = typeof info['server-name'] === 'string' ? ` (${info['server-name']})` : '';
    return {
      ok: true,
      detail: `Janus ${version}${name}: VideoRoom ready, token auth ${tokenAuth ? 'on' : 'off'}`,
    };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export function createJanusDefinition(
  calls: JanusCalls = new JanusCalls(),
  clientModulePath: string = defaultClientModulePath(),
): ConnectorDefinition<JanusSettings> {
  const known = (call: ConnectorCall): string[] =>
    call.target.kind === 'user' ? [call.ownerId, call.target.userId] : [];
  return {
    type: JANUS_TYPE,
    title: 'Janus',
    version: JANUS_VERSION,
    description:
      'Audio and video calls through your Janus WebRTC gateway (VideoRoom plugin): a room per call, tokens per user when token auth is on.',
    supportedTargets: ['user', 'room'],
    capabilities: ['audio', 'video', 'chat', 'raiseHand', 'reactions'],
    settingsSchema: JANUS_SETTINGS_SCHEMA,
    usesIceServers: true,
    isConfigured: (s) =>
      !s.gatewayUrl
        ? 'Gateway WebSocket URL is not set'
        : !s.adminUrl
          ? 'Gateway Admin URL is not set'
          : !s.adminSecret
            ? 'Gateway Admin Secret is not set'
            : true,
    joinInfo: async (call, user, context): Promise<JoinInfo> => ({
      ...(await calls.joinInfo(call, user, context)),
    }),
    hooks: {
      onCallCreated: async (call, context) => {
        await calls.prepare(call, context.settings, known(call)).ready;
      },
      onCallEnded: (call, context) => calls.end(call, context),
    },
    check: ({ settings }) => checkJanus(settings),
    // The gateway is self-hosted and every call goes through it: while it fails its check, no buttons.
    healthGatesAvailability: true,
    clientModule: { path: clientModulePath },
  };
}

export const janusCalls = new JanusCalls();
export const janusConnector = createJanusDefinition(janusCalls);
