import type {
  CallTarget,
  CallTargetKind,
  IceConfig,
  ImAccountField,
  LinkOutMode,
  ProviderCapability,
  SettingsSchema,
  UnavailableCapability,
} from '@parley/protocol';

/** Settings values of a provider, as validated against its {@link SettingsSchema} (secrets decrypted). */
export type ConnectorSettings = Record<string, string | number | boolean | undefined>;

/** The call a hook or {@link ConnectorDefinition.joinInfo} is about. */
export interface ConnectorCall {
  /** Stable id of the call (for a group call: one permanent id per room). */
  id: string;
  target: CallTarget;
  /** The user who placed a one-to-one call, or the room/space that owns a group call. */
  ownerId: string;
  /** What the call is called in the UI, e.g. the room title or the other person's name. */
  title: string;
  /** ISO time the call was created. */
  createdAt: string;
  /**
   * A one-to-one call with a provider that declares {@link ConnectorDefinition.imAccount}: the two
   * users' accounts for it, by user id (the callee's is always there: Parley refuses the call
   * otherwise; the caller's when set). Absent for other calls.
   */
  imAccounts?: Readonly<Record<string, string>>;
}

/** The user a hook or {@link ConnectorDefinition.joinInfo} is about. */
export interface ConnectorUser {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  /** Absolute URL of the avatar image. */
  avatarUrl: string;
  isAdmin: boolean;
  /** A guest who came by a guest link (docs/guests.md): not in the directory, no account. */
  guest?: boolean;
}

/** A log sink; Parley passes its own logger (prefixed with the connector type). */
export interface ConnectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What Parley hands to a connector on every call: its current settings and shared services. */
export interface ConnectorContext<S extends ConnectorSettings = ConnectorSettings> {
  /** The provider's current settings (validated, secrets in clear, defaults applied). */
  settings: S;
  /** Public base URL of the Parley server, e.g. `https://parley.example.com` (no trailing slash). */
  publicUrl: string;
  /** ICE servers with short-lived credentials for `userId` (connectors with `usesIceServers`). */
  iceConfig(userId: string): IceConfig;
  logger: ConnectorLogger;
}

/**
 * What {@link ConnectorDefinition.joinInfo} returns: JSON sent to the client half of the user
 * who joins (only that user). Put per-user, short-lived data here (a meeting URL with a JWT,
 * SFU router capabilities, ICE servers); never a provider secret.
 */
export type JoinInfo = Record<string, unknown>;

/**
 * What {@link ConnectorDefinition.prepare} returns: JSON kept by Parley (in memory, on the server)
 * for the call's lifetime and handed to every {@link ConnectorDefinition.joinInfo} of that call as
 * `context.prepared` — a meeting id, a moderator password. Never sent to a browser as such.
 */
export type PreparedCall = Record<string, unknown>;

/** The context of {@link ConnectorDefinition.joinInfo}: the connector's context and the call's prepared data. */
export interface JoinContext<S extends ConnectorSettings = ConnectorSettings> extends ConnectorContext<S> {
  /**
   * What {@link ConnectorDefinition.prepare} returned for this call; Parley always sets it (`{}`
   * without `prepare`). Optional in the type only so that a spec may call `joinInfo` with a plain context.
   */
  prepared?: PreparedCall;
}

/** Result of {@link ConnectorDefinition.check}. */
export type HealthResult = { ok: true; detail?: string } | { ok: false; reason: string };

/**
 * Optional hooks, called after the call service changed a call (errors are logged, never fatal).
 * Each is awaited, one at a time per call, in this order: `onCallCreated`, `onCallStarted`, then
 * `onCallJoined` / `onCallLeft` per user as they happen, `onCallEnded` last (docs/connectors.md,
 * "The lifecycle"). A hook is limited to {@link HOOK_TIMEOUT_MS}.
 */
export interface CallHooks<S extends ConnectorSettings = ConnectorSettings> {
  onCallCreated?(call: ConnectorCall, context: ConnectorContext<S>): void | Promise<void>;
  onCallStarted?(call: ConnectorCall, context: ConnectorContext<S>): void | Promise<void>;
  onCallJoined?(call: ConnectorCall, user: ConnectorUser, context: ConnectorContext<S>): void | Promise<void>;
  onCallLeft?(call: ConnectorCall, user: ConnectorUser, context: ConnectorContext<S>): void | Promise<void>;
  onCallEnded?(call: ConnectorCall, context: ConnectorContext<S>): void | Promise<void>;
}

/**
 * The server half of a connector. Plain data and functions, no NestJS: wrap it with
 * `ConnectorModule.register(definition)` to ship it (see `docs/connectors.md`).
 *
 * @typeParam S - the shape of the settings, matching {@link ConnectorDefinition.settingsSchema}.
 */
export interface ConnectorDefinition<S extends ConnectorSettings = ConnectorSettings> {
  /** Stable id: lowercase letters, digits and dashes, starting with a letter (`jitsi`). Never change it. */
  type: string;
  /** Shown on call buttons and the admin page, e.g. `Jitsi Meet`. */
  title: string;
  /** Semver of the connector package. */
  version: string;
  /** One or two sentences for the admin page. */
  description: string;
  /** Which call targets it serves; at least one. */
  supportedTargets: readonly CallTargetKind[];
  /** What it can do; the widget hides the rest. */
  capabilities: readonly ProviderCapability[];
  /**
   * The settings form: a JSON Schema object of flat properties. Mark secrets with
   * `writeOnly: true` (they must be strings): Parley encrypts them at rest and never sends them to a
   * browser.
   */
  settingsSchema: SettingsSchema;
  /**
   * Whether these (already schema-valid) settings are enough to place calls. An active provider that
   * is not configured shows no call button. Return a string to say why not (shown to admins).
   * Must be synchronous and fast: it runs whenever settings change.
   */
  isConfigured(settings: S): true | string;
  /** A per-user account field (e.g. a Skype id) the portal shows on profiles. */
  imAccount?: ImAccountField;
  /** Whether the connector uses the ICE servers configured by the admins (the admin page says so). */
  usesIceServers?: boolean;
  /** Call lifecycle hooks. */
  hooks?: CallHooks<S>;
  /**
   * Creates what the call needs on the provider before anyone joins (a BigBlueButton `create`, a
   * Zoom meeting). Run **once per call**, started when the call is created; every join waits for it
   * (concurrent joins share the one run). Its result reaches `joinInfo` as `context.prepared`. A
   * rejection fails the join that waited, with the error's message; the call goes on and the next
   * join runs `prepare` again. Limited to {@link PREPARE_TIMEOUT_MS}.
   */
  prepare?(call: ConnectorCall, context: ConnectorContext<S>): PreparedCall | Promise<PreparedCall>;
  /**
   * Link-out mode: the provider's own meeting page is the call. The widget opens `joinInfo.url`
   * itself (`'tab'`: a new browser tab, with a link in the call window; `'frame'`: inside the call
   * window) instead of calling the client half's `open`, and shows only Parley's call controls
   * (hang up, participants, full screen) plus those the capabilities declare. Parley still
   * tracks the call: ringing, history, presence "in a call". Absent: the client half renders it.
   */
  linkOut?: LinkOutMode;
  /**
   * What the client half of `user` needs to open `call` (meeting URL + token, router capabilities…).
   * Called on the hot path of joining: no database, no slow network calls.
   */
  joinInfo(call: ConnectorCall, user: ConnectorUser, context: JoinContext<S>): JoinInfo | Promise<JoinInfo>;
  /** Health check for the admin page (may contact the service; time-limited by Parley to 5 s). */
  check?(context: ConnectorContext<S>): HealthResult | Promise<HealthResult>;
  /**
   * Declared capabilities it cannot give on this server right now, each with why (the built-in
   * WebRTC connector: `recording` while ffmpeg is missing). The admin page shows them on the
   * provider's card (`health.unavailable`); the provider stays usable for the rest. Synchronous and
   * fast, no I/O: it runs whenever admins list the providers (keep the answer of a slow probe).
   */
  unavailableCapabilities?(): readonly UnavailableCapability[];
  /**
   * Whether {@link ConnectorDefinition.check} decides if the provider can be used. When `true`
   * (and `check` is defined), Parley runs `check` itself — when the provider becomes active, when
   * its settings change, when an admin presses Check, and periodically (`PROVIDER_HEALTH_INTERVAL_SECONDS`)
   * — never on the call path; while the last check failed, the provider shows no call buttons
   * (users' pages are updated live) and refuses new joins. Set it when `check` tests the service the
   * calls themselves depend on (a self-hosted gateway). Leave it unset when the service is third-party
   * or the check may fail while calls still work: then `check` only runs when an admin asks.
   */
  healthGatesAvailability?: boolean;
  /** The client half: absolute path of a self-contained ES module file (no bare imports). */
  clientModule: { path: string };
}

/** How long Parley waits for {@link ConnectorDefinition.prepare} before the join fails. */
export const PREPARE_TIMEOUT_MS = 15_000;
/** How long Parley waits for one hook before going on with the next (the late one is logged). */
export const HOOK_TIMEOUT_MS = 10_000;

/** `type` rule of {@link ConnectorDefinition.type}. */
export const CONNECTOR_TYPE_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
