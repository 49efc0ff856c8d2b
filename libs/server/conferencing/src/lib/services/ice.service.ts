import { Inject, Injectable, Logger, NotFoundException, type OnModuleInit } from '@nestjs/common';
import {
  type AdminIceServer,
  type AdminIceSettings,
  type FieldError,
  ICE_CREDENTIAL_TYPES,
  ICE_TRANSPORT_POLICIES,
  type IceConfig,
  type IceCredentialType,
  type IceServerConfig,
  type IceServerTest,
  type IceTransportPolicy,
} from '@parley/protocol';
import { CONFERENCING_OPTIONS, type ConferencingModuleOptions } from '../conferencing.options';
import type { IceServerEntity } from '../entities';
import { ConferencingSettingRepository, IceServerRepository } from '../repositories';
import { iceUrlProblem, isTurnUrl } from '@parley/protocol';
import { turnRestCredentials } from '../util/turn';
import { invalid, isPlainObject, unknownKeys } from '../util/validation';
import { newId, nowIso } from '../util/time';
import { type Actor, AuditService, REDACTED } from './audit.service';
import { ConferencingEvents } from './conferencing-events.service';
import { SecretBox } from './secret-box.service';

const POLICY_KEY = 'ice.transportPolicy';
const SEEDED_KEY = 'ice.seeded';
export const DEFAULT_TURN_TTL_SECONDS = 86400;
const TTL_RANGE = [60, 7 * 86400] as const;
/** Lifetime of the credentials handed out for an admin's Test button. */
const TEST_TTL_SECONDS = 300;
export const ONLY_DEFAULT_STUN_WARNING =
  'Only the default public STUN server is configured: calls between users behind different NATs or firewalls ' +
  'need a TURN server of your own. Add one (with a shared secret) before going to production.';

const FIELDS = [
  'label',
  'urls',
  'credentialType',
  'username',
  'credential',
  'sharedSecret',
  'ttlSeconds',
  'enabled',
];

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

/**
 * ICE (STUN/TURN) servers: admin CRUD with validation, and the client configuration with short-lived
 * TURN REST credentials (`expiry:userId`, base64 HMAC-SHA1). Servers are cached in memory: handing out a
 * configuration never touches the database.
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
        const now = nowIso();
        await this.rows.save({
          id: newId(),
          label: 'Default public STUN',
          urls: JSON.stringify([url]),
          credentialType: 'none',
          username: null,
          credential: null,
          sharedSecret: null,
          ttlSeconds: null,
          enabled: true,
          position: 0,
          isDefault: true,
          createdAt: now,
          updatedAt: now,
        });
        this.logger.log(`Seeded the default public STUN server ${url} (replace it with your own STUN/TURN)`);
      }
      await this.settings.set(SEEDED_KEY, 'true');
    }
    await this.reload();
  }

  private async reload(): Promise<void> {
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

  async create(body: unknown, actor: Actor): Promise<AdminIceServer> {
    const now = nowIso();
    const blank: IceServerState = {
      id: newId(),
      label: '',
      urls: [],
      credentialType: 'none',
      username: null,
      credential: null,
      sharedSecret: null,
      ttlSeconds: null,
      enabled: true,
      position: Math.max(-1, ...this.servers.map((s) => s.position)) + 1,
      isDefault: false,
      createdAt: now,
      updatedAt: now,
    };
    const next = this.apply(blank, body, true);
    await this.rows.save(this.rowOf(next));
    await this.reload();
    this.events.emit({ type: 'ice.changed' });
    await this.audit.record(actor, 'ice.create', `ice:${next.id}`, this.auditDetails(blank, next));
    return this.adminView(this.find(next.id));
  }

  async update(id: string, body: unknown, actor: Actor): Promise<AdminIceServer> {
    const current = this.find(id);
    const next = this.apply(current, body, false);
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
  async updateSettings(body: unknown, actor: Actor): Promise<AdminIceSettings> {
    if (!isPlainObject(body))
      throw invalid('Invalid ICE settings', [{ field: '', message: 'body must be an object' }]);
    const errors = unknownKeys(body, ['order', 'iceTransportPolicy']);
    const { order, iceTransportPolicy } = body;
    const ids = this.servers.map((server) => server.id).sort();
    if (
      order !== undefined &&
      (!Array.isArray(order) || JSON.stringify([...order].sort()) !== JSON.stringify(ids))
    ) {
      errors.push({ field: 'order', message: 'order must list every ICE server id once' });
    }
    if (
      iceTransportPolicy !== undefined &&
      !ICE_TRANSPORT_POLICIES.includes(iceTransportPolicy as IceTransportPolicy)
    ) {
      errors.push({ field: 'iceTransportPolicy', message: 'iceTransportPolicy must be all or relay' });
    }
    if (errors.length > 0) throw invalid('Invalid ICE settings', errors);
    const details: Record<string, unknown> = {};
    if (Array.isArray(order)) {
      const ordered = (order as string[]).map((id, position) => ({ ...this.find(id), position }));
      await this.rows.saveAll(ordered.map((server) => this.rowOf(server)));
      details['order'] = order;
    }
    if (iceTransportPolicy !== undefined) {
      await this.settings.set(POLICY_KEY, iceTransportPolicy as string);
      details['iceTransportPolicy'] = iceTransportPolicy;
    }
    await this.reload();
    this.events.emit({ type: 'ice.changed' });
    await this.audit.record(actor, 'ice.settings', 'ice', details);
    return this.adminSettings();
  }

  /** Validates an input (create: `urls` required) into a new state, or throws a 400 with per-field errors. */
  private apply(current: IceServerState, body: unknown, creating: boolean): IceServerState {
    if (!isPlainObject(body))
      throw invalid('Invalid ICE server', [{ field: '', message: 'body must be an object' }]);
    const errors: FieldError[] = unknownKeys(body, FIELDS);
    const next: IceServerState = { ...current, urls: [...current.urls] };
    const has = (key: string) => body[key] !== undefined;

    if (has('label')) {
      if (typeof body['label'] !== 'string' || body['label'].length > 200) {
        errors.push({ field: 'label', message: 'label must be a string of at most 200 characters' });
      } else next.label = body['label'].trim();
    }
    if (has('urls') || creating) {
      const urls = body['urls'];
      if (!Array.isArray(urls) || urls.length === 0 || urls.length > 10) {
        errors.push({ field: 'urls', message: 'urls must list 1 to 10 URLs' });
      } else {
        urls.forEach((url: unknown, index) => {
          const problem = typeof url === 'string' ? iceUrlProblem(url.trim()) : 'must be a string';
          if (problem) errors.push({ field: `urls[${index}]`, message: `${String(url)} ${problem}` });
        });
        next.urls = urls.map((url) => String(url).trim());
      }
    }
    if (has('credentialType')) {
      if (!ICE_CREDENTIAL_TYPES.includes(body['credentialType'] as IceCredentialType)) {
        errors.push({ field: 'credentialType', message: 'credentialType must be none, static or rest' });
      } else next.credentialType = body['credentialType'] as IceCredentialType;
    }
    const secret = (key: 'username' | 'credential' | 'sharedSecret', max: number) => {
      if (!(key in body)) return;
      const value = body[key];
      if (value === null || value === '') next[key] = null;
      else if (typeof value !== 'string' || value.length > max) {
        errors.push({ field: key, message: `${key} must be a string of at most ${max} characters, or null` });
      } else next[key] = value;
    };
    secret('username', 200);
    secret('credential', 500);
    secret('sharedSecret', 500);
    if ('ttlSeconds' in body) {
      const ttl = body['ttlSeconds'];
      if (ttl === null) next.ttlSeconds = null;
      else if (!Number.isInteger(ttl) || (ttl as number) < TTL_RANGE[0] || (ttl as number) > TTL_RANGE[1]) {
        errors.push({
          field: 'ttlSeconds',
          message: `ttlSeconds must be an integer ${TTL_RANGE[0]}-${TTL_RANGE[1]}`,
        });
      } else next.ttlSeconds = ttl as number;
    }
    if (has('enabled')) {
      if (typeof body['enabled'] !== 'boolean')
        errors.push({ field: 'enabled', message: 'enabled must be a boolean' });
      else next.enabled = body['enabled'];
    }
    if (errors.length === 0) {
      // Consistency of the credentials with their type; fields of other types are dropped.
      if (next.credentialType === 'static') {
        if (!next.username)
          errors.push({ field: 'username', message: 'username is required for static credentials' });
        if (!next.credential)
          errors.push({ field: 'credential', message: 'credential is required for static credentials' });
        next.sharedSecret = null;
        next.ttlSeconds = null;
      } else if (next.credentialType === 'rest') {
        if (!next.sharedSecret) {
          errors.push({
            field: 'sharedSecret',
            message: 'sharedSecret is required for TURN REST credentials',
          });
        }
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
    }
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
