import type { CallKind, CallParticipantState, CallState } from './calls';
import type { SecretState } from './ice';
import type { ProviderCapability, ProviderDescriptor } from './providers';

/**
 * The Web Conferencing admin API (`/api/admin/...`): members of the admins group only; everyone
 * else gets 403 (401 without a session).
 */

/**
 * A JSON Schema (draft 2020-12 subset) describing a provider's settings: an object whose
 * properties are strings, numbers, integers or booleans. A property with `writeOnly: true` is a
 * secret: encrypted at rest, shown to admins as `{ set: boolean }`, never sent back in clear.
 */
export interface SettingsSchema {
  type: 'object';
  properties: Record<string, SettingsProperty>;
  required?: string[];
  additionalProperties?: false;
}

export interface SettingsProperty {
  type: 'string' | 'number' | 'integer' | 'boolean';
  title?: string;
  description?: string;
  default?: string | number | boolean;
  /** Secret field. */
  writeOnly?: boolean;
  /** e.g. `uri`, `hostname`, `email`. */
  format?: string;
  pattern?: string;
  /**
   * What a value must look like, said to the admin when it does not match `pattern` (e.g.
   * `Enter a URL starting with https:// or http://`). Without it Parley words common patterns
   * itself (a URL scheme, a set of allowed characters) and never shows the regular expression.
   */
  patternMessage?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: (string | number)[];
}

/** Settings as an admin sees them: secret fields replaced by their state. */
export type AdminSettingsValues = Record<string, string | number | boolean | SecretState | null>;

export type ProviderHealthStatus = 'ok' | 'not_configured' | 'error' | 'inactive';

/** A capability a provider declares but cannot give on this server now, and why. */
export interface UnavailableCapability {
  capability: ProviderCapability;
  /** In words an admin can act on, e.g. `ffmpeg is not installed on the server: install …`. */
  reason: string;
}

export interface ProviderHealth {
  status: ProviderHealthStatus;
  /** Why, in words an admin can act on (e.g. `Service URL is not set`). */
  reason: string | null;
  /** ISO time of the check. */
  checkedAt: string;
  /**
   * What the provider cannot do here right now although it declares it (the built-in WebRTC
   * provider's `recording` while the server has no usable ffmpeg). The admin API always sets it
   * (empty: everything works); the provider stays usable for the rest.
   */
  unavailable?: UnavailableCapability[];
}

/** One provider on the admin page: what users see of it (but its client module) and its configuration. */
export interface AdminProvider extends Omit<ProviderDescriptor, 'clientModuleUrl' | 'order'> {
  /** Built into the server (`builtin`) or loaded from an npm package named in PARLEY_CONNECTORS. */
  source: { kind: 'builtin' } | { kind: 'package'; name: string };
  active: boolean;
  configured: boolean;
  /** The latest health: from `isConfigured` at every change, from `check()` on demand. */
  health: ProviderHealth;
  order: number;
  settingsSchema: SettingsSchema;
  settings: AdminSettingsValues;
  /** Whether the provider's connector uses the ICE servers configured on this page. */
  usesIceServers: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** A plug-in that could not be loaded at start-up; the server started without it. */
export interface ConnectorLoadError {
  /** The package name from PARLEY_CONNECTORS. */
  package: string;
  message: string;
  at: string;
}

/** `GET /api/admin/providers`. */
export interface AdminProvidersResponse {
  providers: AdminProvider[];
  loadErrors: ConnectorLoadError[];
}

/**
 * `PUT /api/admin/providers/:type`. `settings` replaces the non-secret values entirely (missing
 * ones are unset); for a secret field a string sets it, `null` clears it, and an omitted key or
 * `{ set: true }` keeps the stored value. Nothing is saved when validation fails.
 */
export interface ProviderUpdate {
  active?: boolean;
  settings?: Record<string, unknown>;
}

/** `PUT /api/admin/providers`: the new order, every provider type once. */
export interface ProvidersOrderUpdate {
  order: string[];
}

/** One invalid settings field: `field` is the property name (`''` for the whole object). */
export interface FieldError {
  field: string;
  message: string;
}

/** Body of a 400 answer to invalid settings or ICE server input. */
export interface ValidationErrorResponse {
  statusCode: 400;
  error: 'Bad Request';
  message: string;
  errors: FieldError[];
}

/** One audited admin change. Secrets never appear (`[redacted]`). */
export interface AuditEntry {
  id: string;
  at: string;
  actorId: string;
  actorName: string;
  /** e.g. `provider.update`, `provider.reorder`, `ice.create`, `ice.update`, `ice.delete`, `ice.settings`. */
  action: string;
  /** What was changed, e.g. `provider:jitsi`, `ice:<id>`. */
  target: string;
  details: Record<string, unknown>;
}

/** Query of `GET /api/admin/audit`: newest first. */
export interface AuditQuery {
  /** ISO time: entries strictly older. */
  before?: string;
  /** 1..200, default 50. */
  limit?: number;
}

/** The longest retention an admin can set, in days (ten years). */
export const MAX_RETENTION_DAYS = 3650;

/**
 * How long Parley keeps call recordings and call history (`/api/admin/retention`): whole days,
 * 1..{@link MAX_RETENTION_DAYS}, or null to keep them (the default). A daily sweep deletes what is
 * older (`docs/operations.md`, "Retention").
 */
export interface RetentionSettings {
  /** Recordings stopped more than this many days ago are deleted (file, row; the post says so). */
  recordingDays: number | null;
  /** Ended calls started more than this many days ago leave the call history. */
  callHistoryDays: number | null;
}

/**
 * `GET /api/admin/calls`: the live calls (ringing or active) this server node hosts, from memory.
 * Media figures come from the provider's media server (the built-in WebRTC one); null where the
 * provider gives none.
 */
export interface AdminLiveCalls {
  /** The node that answered (cluster mode: each node lists its own calls). */
  node: string;
  calls: AdminLiveCall[];
}

export interface AdminLiveCall {
  id: string;
  kind: CallKind;
  state: Exclude<CallState, 'ended'>;
  providerType: string;
  /** Group calls: the room (its title); null for one-to-one calls. */
  room: { id: string; title: string } | null;
  title: string | null;
  createdAt: string;
  participants: AdminCallParticipant[];
}

export interface AdminCallParticipant {
  userId: string;
  displayName: string;
  state: CallParticipantState;
  /** What the media server receives from them / sends to them, kbit/s. */
  sendKbps: number | null;
  recvKbps: number | null;
  /** Packet loss of what they send, as the media server sees it (worst stream), percent. */
  lossPct: number | null;
  /** Through a TURN relay or direct (as their browser reports it); null: not known (yet). */
  connection: 'relay' | 'direct' | null;
}

/** `GET /api/admin/calls/:callId/participants/:userId/stats`: the `/call stats` detail. */
export interface AdminParticipantStats {
  callId: string;
  userId: string;
  stats: Record<string, unknown>;
}

/** A participant's media figures in {@link AdminCallParticipant}, as a provider's media layer gives them. */
export type ParticipantMediaSummary = Pick<
  AdminCallParticipant,
  'sendKbps' | 'recvKbps' | 'lossPct' | 'connection'
>;
