import { Inject, Injectable, Logger, NotFoundException, type OnModuleInit } from '@nestjs/common';
import {
  type AdminIceServer,
  type AdminIceSettings,
  type FieldError,
  type IceConfig,
  type IceCredentialType,
  type IceServerConfig,
  type IceServerInput,
  type IceServerTest,
  type IceSettingsUpdate,
  type IceTransportPolicy,
  isTurnUrl,
} from '@parley/protocol';
import { CONFERENCING_OPTIONS, type ConferencingModuleOptions } from '../conferencing.options';
import type { IceServerEntity } from '../entities';
import { ConferencingSettingRepository, IceServerRepository } from '../repositories';
import { turnRestCredentials } from '../util/turn';
import { invalid } from '../util/validation';
import { newId, nowIso } from '../util/time';
import { type Actor, AuditService, REDACTED } from './audit.service';
import { ConferencingEvents } from './conferencing-events.service';
import { SecretBox } from './secret-box.service';

const POLICY_KEY = 'ice.transportPolicy';
const SEEDED_KEY = 'ice.seeded';
export const DEFAULT_TURN_TTL_SECONDS = 86400;
/** Lifetime of the credentials handed out for an admin's Test button. */
const TEST_TTL_SECONDS = 300;
export const ONLY_DEFAULT_STUN_WARNING =
  'Only the default public STUN server is configured: calls between users behind different NATs or firewalls ' +
  'need a TURN server of your own. Add one (with a shared secret) before going to production.';

/** One ICE server in memory, secrets decrypted. */
interface IceServerState {
  id: string;
  label: string;
  urls: string[];
  credentialType: IceCredentialType;
  username: string | null;
  credential: string | null;
  sharedSecret: string | null;
  ttlSeconds: number | null;
  enabled: boolean;
  position: number;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A new server (no credentials, enabled, last unless `position` says otherwise), now. */
function newServer(fields: Partial<IceServerState>): IceServerState {
  const now = nowIso();
  return {
    id: newId(),
    label: '',
    urls: [],
    credentialType: 'none',
    username: null,
    credential: null,
    sharedSecret: null,
    ttlSeconds: null,
    enabled: true,
    position: 0,
    isDefault: false,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}

/**
 * ICE (STUN/TURN) servers: admin CRUD, and the client configuration with short-lived TURN REST
 * credentials (`expiry:userId`, base64 HMAC-SHA1). Servers are cached in memory: handing out a
 * configuration never touches the database. Admin input comes checked field by field (`dto/ice.dto.ts`,
 * at the REST edge); what needs the stored server too (credentials matching their type, every id in
 * a new order) is checked here.
 */
@Injectable()
export class IceService implements OnModuleInit {
  private readonly logger = new Logger(IceService.name);
  private servers: IceServerState[] = [];
  private policy: IceTransportPolicy = 'all';

  constructor(
    private readonly rows: IceServerRepository,
    private readonly settings: ConferencingSettingRepository,
    private readonly secretBox: SecretBox,
    private readonly audit: AuditService,
    private readonly events: ConferencingEvents,
    @Inject(CONFERENCING_OPTIONS) private readonly options: ConferencingModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if ((await this.settings.get(SEEDED_KEY)) === null) {
      const url = this.options.defaultStunUrl;
      if (url) {
        await this.rows.save(
          this.rowOf(newServer({ label: 'Default public STUN', urls: [url], position: 0, isDefault: true })),
        );
        this.logger.log(`Seeded the default public STUN server ${url} (replace it with your own STUN/TURN)`);
      }
      await this.settings.set(SEEDED_KEY, 'true');
    }
    await this.reload();
  }

  /** Re-reads the servers and the policy from the database (also when another node changed them). */
  async reload(): Promise<void> {
    const policy = await this.settings.get(POLICY_KEY);
    this.policy = policy === 'relay' ? 'relay' : 'all';
    this.servers = (await this.rows.list()).map((row) => this.stateOf(row));
  }

  private stateOf(row: IceServerEntity): IceServerState {
    const open = (value: string | null, what: string): string | null => {
      if (value === null) return null;
      try {
        return this.secretBox.decrypt(value);
      } catch (error) {
        this.logger.error(
          `ICE server ${row.id} ${what}: ${error instanceof Error ? error.message : String(error)}`,
        );
        return null;
      }
    };
    return {
      id: row.id,
      label: row.label,
      urls: JSON.parse(row.urls) as string[],
      credentialType: row.credentialType,
      username: row.username,
      credential: open(row.credential, 'credential'),
      sharedSecret: open(row.sharedSecret, 'shared secret'),
      ttlSeconds: row.ttlSeconds,
      enabled: row.enabled,
      position: row.position,
      isDefault: row.isDefault,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  private rowOf(state: IceServerState): IceServerEntity {
    return {
      ...state,
      urls: JSON.stringify(state.urls),
      credential: state.credential === null ? null : this.secretBox.encrypt(state.credential),
      sharedSecret: state.sharedSecret === null ? null : this.secretBox.encrypt(state.sharedSecret),
    };
  }

  /** Browser-usable form of one server; REST credentials minted for `userId`. */
  private browserConfig(
    server: IceServerState,
    userId: string,
    nowMs: number,
    ttlOverride?: number,
  ): { config: IceServerConfig; expiresAt: number | null } {
    switch (server.credentialType) {
      case 'static':
        return {
          config: {
            urls: [...server.urls],
            username: server.username ?? '',
            credential: server.credential ?? '',
          },
          expiresAt: null,
        };
      case 'rest': {
        const ttl = Math.min(ttlOverride ?? Infinity, server.ttlSeconds ?? DEFAULT_TURN_TTL_SECONDS);
        const minted = turnRestCredentials(server.sharedSecret ?? '', userId, ttl, nowMs);
        return {
          config: { urls: [...server.urls], username: minted.username, credential: minted.credential },
          expiresAt: minted.expiresAt,
        };
      }
      default:
        return { config: { urls: [...server.urls] }, expiresAt: null };
    }
  }

  /** The enabled servers for `userId`, in order, with fresh short-lived credentials (memory only). */
  clientConfig(userId: string, nowMs = Date.now()): IceConfig {
    const usable = this.servers.filter(
      (server) => server.enabled && (server.credentialType !== 'rest' || server.sharedSecret),
    );
    const minted = usable.map((server) => this.browserConfig(server, userId, nowMs));
    const expiries = minted.map((m) => m.expiresAt).filter((e): e is number => e !== null);
    return {
      iceServers: minted.map((m) => m.config),
      iceTransportPolicy: this.policy,
      expiresAt: expiries.length > 0 ? new Date(Math.min(...expiries) * 1000).toISOString() : null,
    };
  }

  /** That ONE server for the admin's Test button, with credentials valid 5 minutes. */
  testConfig(id: string, admin: Actor, nowMs = Date.now()): IceServerTest {
    const server = this.find(id);
    const { config, expiresAt } = this.browserConfig(server, admin.id, nowMs, TEST_TTL_SECONDS);
    const turn = server.urls.some(isTurnUrl);
    return {
      iceServer: config,
      iceTransportPolicy: turn ? 'relay' : 'all',
      expect: turn ? 'relay' : 'srflx',
      expiresAt: expiresAt === null ? null : new Date(expiresAt * 1000).toISOString(),
    };
  }

  adminSettings(): AdminIceSettings {
    const enabled = this.servers.filter((server) => server.enabled);
    return {
      servers: this.servers.map((server) => this.adminView(server)),
      iceTransportPolicy: this.policy,
      warning:
        enabled.length > 0 && enabled.every((server) => server.isDefault) ? ONLY_DEFAULT_STUN_WARNING : null,
    };
  }

  private adminView(server: IceServerState): AdminIceServer {
    return {
      id: server.id,
      label: server.label,
      urls: [...server.urls],
      credentialType: server.credentialType,
      username: server.username,
      credential: { set: server.credential !== null },
      sharedSecret: { set: server.sharedSecret !== null },
      ttlSeconds: server.ttlSeconds,
      enabled: server.enabled,
      order: this.servers.indexOf(server),
      isDefault: server.isDefault,
      updatedAt: server.updatedAt,
    };
  }

  private find(id: string): IceServerState {
    const server = this.servers.find((candidate) => candidate.id === id);
    if (!server) throw new NotFoundException(`ICE server ${id} not found`);
    return server;
  }

  async create(input: IceServerInput, actor: Actor): Promise<AdminIceServer> {
    const blank = newServer({ position: Math.max(-1, ...this.servers.map((s) => s.position)) + 1 });
    const next = this.apply(blank, input);
    await this.rows.save(this.rowOf(next));
    await this.reload();
    this.events.emit({ type: 'ice.changed' });
    await this.audit.record(actor, 'ice.create', `ice:${next.id}`, this.auditDetails(blank, next));
    return this.adminView(this.find(next.id));
  }

  async update(id: string, input: IceServerInput, actor: Actor): Promise<AdminIceServer> {
    const current = this.find(id);
    const next = this.apply(current, input);
    next.updatedAt = nowIso();
    await this.rows.save(this.rowOf(next));
    await this.reload();
    this.events.emit({ type: 'ice.changed' });
    await this.audit.record(actor, 'ice.update', `ice:${id}`, this.auditDetails(current, next));
    return this.adminView(this.find(id));
  }

  async remove(id: string, actor: Actor): Promise<void> {
    const server = this.find(id);
    await this.rows.delete(id);
    await this.reload();
    this.events.emit({ type: 'ice.changed' });
    await this.audit.record(actor, 'ice.delete', `ice:${id}`, { label: server.label, urls: server.urls });
  }

  /** Reorder (every id once) and/or set the transport policy. */
  async updateSettings(input: IceSettingsUpdate, actor: Actor): Promise<AdminIceSettings> {
    const { order, iceTransportPolicy } = input;
    const ids = this.servers.map((server) => server.id).sort();
    if (order !== undefined && JSON.stringify([...order].sort()) !== JSON.stringify(ids)) {
      throw invalid('Invalid ICE settings', [
        { field: 'order', message: 'order must list every ICE server id once' },
      ]);
    }
    const details: Record<string, unknown> = {};
    if (order !== undefined) {
      const ordered = order.map((id, position) => ({ ...this.find(id), position }));
      await this.rows.saveAll(ordered.map((server) => this.rowOf(server)));
      details['order'] = order;
    }
    if (iceTransportPolicy !== undefined) {
      await this.settings.set(POLICY_KEY, iceTransportPolicy);
      details['iceTransportPolicy'] = iceTransportPolicy;
    }
    await this.reload();
    this.events.emit({ type: 'ice.changed' });
    await this.audit.record(actor, 'ice.settings', 'ice', details);
    return this.adminSettings();
  }

  /**
   * A checked input applied to a server (omitted fields keep their value, `null` or `''` clears a
   * secret); 400 with per-field errors when the credentials do not match their type.
   */
  private apply(current: IceServerState, input: IceServerInput): IceServerState {
    const next: IceServerState = { ...current, urls: [...current.urls] };
    if (input.label !== undefined) next.label = input.label.trim();
    if (input.urls !== undefined) next.urls = input.urls.map((url) => url.trim());
    if (input.credentialType !== undefined) next.credentialType = input.credentialType;
    for (const key of ['username', 'credential', 'sharedSecret'] as const) {
      if (input[key] !== undefined) next[key] = input[key] || null;
    }
    if (input.ttlSeconds !== undefined) next.ttlSeconds = input.ttlSeconds;
    if (input.enabled !== undefined) next.enabled = input.enabled;
    const errors: FieldError[] = [];
    // Consistency of the credentials with their type; fields of other types are dropped.
    if (next.credentialType === 'static') {
      if (!next.username)
        errors.push({ field: 'username', message: 'username is required for static credentials' });
      if (!next.credential)
        errors.push({ field: 'credential', message: 'credential is required for static credentials' });
      next.sharedSecret = null;
      next.ttlSeconds = null;
    } else if (next.credentialType === 'rest') {
      if (!next.sharedSecret)
        errors.push({ field: 'sharedSecret', message: 'sharedSecret is required for TURN REST credentials' });
      next.ttlSeconds ??= DEFAULT_TURN_TTL_SECONDS;
      next.username = null;
      next.credential = null;
    } else {
      next.username = null;
      next.credential = null;
      next.sharedSecret = null;
      next.ttlSeconds = null;
    }
    if (!next.label) next.label = next.urls[0] ?? '';
    if (errors.length > 0) throw invalid('Invalid ICE server', errors);
    return next;
  }

  private auditDetails(before: IceServerState, after: IceServerState): Record<string, unknown> {
    const details: Record<string, unknown> = {};
    for (const key of ['label', 'urls', 'credentialType', 'username', 'ttlSeconds', 'enabled'] as const) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) details[key] = after[key];
    }
    for (const key of ['credential', 'sharedSecret'] as const) {
      if (before[key] !== after[key]) details[key] = after[key] === null ? 'cleared' : REDACTED;
    }
    return details;
  }
}
