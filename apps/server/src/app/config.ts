import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

/** Raised for an invalid environment; `main` prints the message and exits with code 1. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
};

function integer(min: number, max: number) {
  const message = `must be an integer ${min}-${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);
}

const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => value in BOOLEANS, 'must be true or false')
  .transform((value) => BOOLEANS[value]);

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, `address/prefix`, or one of Express's names for proxy ranges. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * Which reverse proxies' `X-Forwarded-For` names the client (Express's `trust proxy`): a number of
 * hops, or a comma list of addresses, subnets and `loopback`/`linklocal`/`uniquelocal`.
 */
const trustProxy = z
  .string()
  .trim()
  .refine(
    (value) => /^\d{1,2}$/.test(value) || value.split(',').every((entry) => isProxyEntry(entry.trim())),
    'must be a number of proxy hops (e.g. 1) or a comma list of proxy addresses or subnets (e.g. loopback,10.0.0.0/8)',
  )
  .transform((value): number | string[] =>
    /^\d{1,2}$/.test(value) ? Number(value) : value.split(',').map((entry) => entry.trim()),
  );

/** A rate limit: at most `points` requests in a fixed window of `seconds`. */
export interface RateWindow {
  points: number;
  seconds: number;
}

/** `<requests>/<seconds>` (requests 1-1000000 in a window of 1-3600 s) or `off`. */
const rateWindow = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => {
    if (value === 'off') return true;
    const match = /^(\d{1,7})\/(\d{1,4})$/.exec(value);
    if (!match) return false;
    const [points, seconds] = [Number(match[1]), Number(match[2])];
    return points >= 1 && points <= 1_000_000 && seconds >= 1 && seconds <= 3600;
  }, 'must be <requests>/<seconds> (requests 1-1000000, seconds 1-3600, e.g. 20/10) or off')
  .transform((value): RateWindow | null => {
    if (value === 'off') return null;
    const [points, seconds] = value.split('/').map(Number);
    return { points, seconds };
  });

/** What is wrong with a Redis URL, or null when it is usable. */
function redisUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a redis:// URL (redis://[user:password@]host:6379[/db])';
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return 'must start with redis:// or rediss://';
  if (!url.hostname) return 'must name a host (redis://host:6379)';
  if (!/^(\/\d{0,2})?$/.test(url.pathname))
    return 'may name only a database number after the host (redis://host:6379/0)';
  return null;
}

/** One entry per variable; `configSchema` and the documentation table are built from it. */
export const CONFIG_VARIABLES = {
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test'], {
      error: 'must be development, production or test',
    }),
    default: 'development',
    description: '`production` requires SESSION_SECRET and SECRETS_KEY and marks the session cookie Secure.',
  },
  PORT: { schema: integer(1, 65535), default: '3000', description: 'HTTP port.' },
  HOST: { schema: nonEmpty, default: '0.0.0.0', description: 'Interface to listen on.' },
  DATABASE_URL: {
    schema: z
      .string()
      .trim()
      .regex(/^(postgres(ql)?:\/\/|sqlite:).+/, 'must be a postgres:// URL or sqlite:<path>'),
    default: undefined,
    description:
      'Unset: SQLite file `<DATA_DIR>/parley.sqlite` (folder created on first start). `postgres://user:pass@host:5432/db`: PostgreSQL. `sqlite:<path>`: another SQLite file.',
  },
  REDIS_URL: {
    schema: z
      .string()
      .trim()
      .superRefine((value, ctx) => {
        const problem = redisUrlProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    default: undefined,
    description:
      'Cluster mode: `redis://[user:password@]host:6379[/db]` (or `rediss://` for TLS). Several Parley nodes then share socket pushes (socket.io Redis adapter), presence and provider changes through this Redis; needs DATABASE_URL to name PostgreSQL, shared by every node, and SESSION_SECRET and SECRETS_KEY, the same on every node (`docs/operations.md`, "Running several nodes"). Unset: one node, nothing of Redis is loaded.',
  },
  DATA_DIR: {
    schema: nonEmpty,
    default: 'data',
    description: 'Folder for the SQLite database and the generated development session secret.',
  },
  SESSION_SECRET: {
    schema: z.string().min(16, 'must be at least 16 characters'),
    default: undefined,
    description:
      'Secret that signs session tokens. Required in production; in development one is generated once and stored in `<DATA_DIR>/session-secret`.',
  },
  SESSION_TTL_HOURS: {
    schema: integer(1, 8760),
    default: '12',
    description: 'Lifetime of a session, in hours.',
  },
  BEARER_TOKEN_TTL_MINUTES: {
    schema: integer(1, 1440),
    default: '60',
    description:
      'Lifetime, in minutes, of the bearer token a client that is not a browser (no `Origin` header: SSO back ends, scripts) gets in a sign-in answer; valid only as `Authorization: Bearer` or socket `auth.token`, revoked with its session at logout. Browsers get only the httpOnly cookie.',
  },
  COOKIE_SECURE: {
    schema: boolean,
    default: undefined,
    description: 'Secure flag of the session cookie (default: true when NODE_ENV=production).',
  },
  ADMINS_GROUP: {
    schema: nonEmpty,
    default: 'platform/administrators',
    description: 'Members of this group are Parley administrators.',
  },
  PORTAL_TOKEN_SECRET: {
    schema: z.string().min(16, 'must be at least 16 characters'),
    default: undefined,
    description:
      'HS256 secret shared with the host portal for single sign-on (`POST /api/auth/portal-token`).',
  },
  PORTAL_TOKEN_PUBLIC_KEY: {
    schema: z
      .string()
      .transform((value) => value.replace(/\\n/g, '\n').trim())
      .refine((value) => value.startsWith('-----BEGIN'), 'must be a PEM public key'),
    default: undefined,
    description:
      'RS256 public key (PEM; `\\n` escapes allowed) of the host portal, instead of PORTAL_TOKEN_SECRET.',
  },
  LOG_LEVEL: {
    schema: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
    default: 'info',
    description: 'Level of the JSON logs on stdout.',
  },
  METRICS_TOKEN: {
    schema: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9._~+/=-]{16,}$/,
        'must be at least 16 characters of A-Z a-z 0-9 . _ ~ + / = - (openssl rand -hex 32)',
      ),
    default: undefined,
    description:
      'Turns on Prometheus metrics at `GET /metrics` for scrapers sending `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); at least 16 characters (`openssl rand -hex 32`). Unset: no metrics, `/metrics` answers 404 (`docs/operations.md`, "Metrics").',
  },
  SEED_DEMO: {
    schema: boolean,
    default: undefined,
    description:
      'Create the demo users (password `parley`), rooms and posts when the database has no users. Unset: true, but false when NODE_ENV=production: an empty production database prints a one-time setup token for the first administrator instead (`docs/operations.md`, "First administrator").',
  },
  LOGIN_MAX_ATTEMPTS: {
    schema: integer(1, 10000),
    default: '10',
    description:
      'Sign-in attempts (right or wrong) allowed per username and client IP within LOGIN_WINDOW_SECONDS; past that `POST /api/auth/login` answers 429 with `Retry-After` until the window has passed.',
  },
  LOGIN_WINDOW_SECONDS: {
    schema: integer(1, 86400),
    default: '60',
    description:
      'The sign-in throttling window (and how long a throttled username and IP stay refused), in seconds.',
  },
  TRUST_PROXY: {
    schema: trustProxy,
    default: undefined,
    description:
      "Behind a reverse proxy or load balancer: the proxies whose `X-Forwarded-For` header names the client, as a number of hops (`1`) or a comma list of addresses/subnets (`loopback`, `10.0.0.0/8`). Sign-in throttling and the logs then see the client's address instead of the proxy's. Unset: the connection's peer address counts (no proxy trusted).",
  },
  PORTAL_TOKEN_MAX_ATTEMPTS: {
    schema: integer(1, 1000000),
    default: '300',
    description:
      "Single sign-on exchanges (`POST /api/auth/portal-token`, valid or not) allowed per client IP within LOGIN_WINDOW_SECONDS; past that 429 with `Retry-After`. Larger than the password limit because a portal's users often share one address (a proxy or NAT); behind a reverse proxy set `TRUST_PROXY` so the client's own address counts.",
  },
  SOCKET_MESSAGE_LIMIT: {
    schema: rateWindow,
    default: '300/3',
    description:
      'Socket requests one tab (socket) may send: `<requests>/<seconds>`, counted in fixed windows, or `off`. Past it a request is answered `rate_limited` with `retryAfterMs` and not run; the socket stays connected. Sized for joining a full group call (about four requests per other participant).',
  },
  USER_MESSAGE_LIMIT: {
    schema: rateWindow,
    default: '600/3',
    description:
      'Socket requests one user may send from all their tabs together (`<requests>/<seconds>` or `off`); shared by every node in cluster mode.',
  },
  CHAT_MESSAGE_LIMIT: {
    schema: rateWindow,
    default: '20/10',
    description:
      'Chat messages (`room.send`, slash commands included, and `POST /api/rooms/:id/messages`) one user may send from all their tabs (`<requests>/<seconds>` or `off`); past it they are answered `rate_limited` (REST: 429 with `Retry-After`) and not stored.',
  },
  CALL_REACTION_LIMIT: {
    schema: rateWindow,
    default: '20/10',
    description:
      'Emoji reactions in calls (`call.reaction`) one user may send from all their tabs (`<requests>/<seconds>` or `off`); past it they are answered `rate_limited` and not delivered.',
  },
  API_DOCS: {
    schema: boolean,
    default: undefined,
    description:
      'Serve the OpenAPI documentation at `/api/docs` (JSON at `/api/docs/json`). Unset: true, but false when NODE_ENV=production.',
  },
  ALLOWED_ORIGINS: {
    schema: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim().replace(/\/+$/, ''))
          .filter(Boolean),
      )
      .refine(
        (origins) => origins.every((origin) => /^https?:\/\/[^/?#\s]+$/.test(origin)),
        'must be a comma-separated list of origins (https://portal.example.com)',
      ),
    default: undefined,
    description:
      "Other origins (comma-separated, `https://portal.example.com`) whose pages may send state-changing requests with the session cookie and open Parley's socket, e.g. a portal embedding the widget's custom elements. The server's own origin (PUBLIC_URL's, or the request's own host) is always allowed; any other `Origin` is refused (403, socket handshake refused).",
  },
  FRAME_ANCESTORS: {
    schema: z
      .string()
      .transform((value) =>
        value
          .split(/[\s,]+/)
          .map((origin) => origin.trim().replace(/\/+$/, ''))
          .filter(Boolean),
      )
      .refine(
        (origins) => origins.every((origin) => /^https?:\/\/(\*\.)?[^/?#\s*'";,]+$/.test(origin)),
        'must be a space- or comma-separated list of origins (https://portal.example.com, https://*.example.com)',
      ),
    default: undefined,
    description:
      'Other origins (space- or comma-separated, `https://portal.example.com`, `https://*.example.com`) whose pages may show Parley in a frame (the `frame-ancestors` of Parley\'s Content-Security-Policy). Parley\'s own origin always may; unset: no other page can frame Parley (`docs/operations.md`, "Headers and Content-Security-Policy").',
  },
  PARLEY_CONNECTORS: {
    schema: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      )
      .refine(
        (names) => names.every((name) => /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/.test(name)),
        'must be a comma-separated list of npm package names',
      ),
    default: undefined,
    description:
      'Plug-in connectors to load at start-up: npm package names, comma-separated (`@parley/connector-jitsi,@acme/parley-zoom`). A package that fails to load is logged and listed on the admin page; the server starts without it.',
  },
  PARLEY_CONNECTORS_PATH: {
    schema: z.string().transform((value) =>
      value
        .split(':')
        .map((path) => path.trim())
        .filter(Boolean),
    ),
    default: undefined,
    description:
      'Extra folders (colon-separated) whose `node_modules` are searched for PARLEY_CONNECTORS packages, before the working directory and the server installation.',
  },
  SECRETS_KEY: {
    schema: z
      .string()
      .trim()
      .refine(
        (value) =>
          /^[0-9a-fA-F]{64}$/.test(value) ||
          (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32),
        'must be 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)',
      ),
    default: undefined,
    description:
      'AES-256-GCM key that encrypts provider secrets and TURN secrets at rest. Required in production; in development one is generated once and stored in `<DATA_DIR>/secrets-key`.',
  },
  PUBLIC_URL: {
    schema: z
      .string()
      .trim()
      .regex(/^https?:\/\/[^/]+(\/.*)?$/, 'must be an http(s):// URL')
      .transform((value) => value.replace(/\/+$/, '')),
    default: undefined,
    description:
      'Public base URL of the server, as browsers reach it (absolute avatar URLs for connectors). Default `http://localhost:<PORT>`.',
  },
  DEFAULT_STUN_URL: {
    schema: z
      .string()
      .trim()
      .refine((value) => value === 'none' || /^stuns?:[^\s?]+$/.test(value), 'must be a stun: URL or none'),
    default: 'stun:stun.l.google.com:19302',
    description:
      'STUN server seeded (enabled, flagged as the default public one, with a warning on the admin page while it is the only server) when the database is created; `none` seeds nothing. The server never contacts it.',
  },
  PROVIDER_HEALTH_INTERVAL_SECONDS: {
    schema: integer(0, 86400),
    default: '60',
    description:
      "Seconds between two automatic health checks of the active providers whose health gates their availability (Janus): while the last check fails, their call buttons are hidden. They are also checked at start-up, when activated or reconfigured, and on the admin page's Check. 0: no periodic check.",
  },
  CALL_RING_TIMEOUT_SECONDS: {
    schema: integer(1, 600),
    default: '30',
    description:
      'A ringing call nobody answers ends as `missed` after this many seconds (the callee gets a missed-call notice).',
  },
  CALL_RECONNECT_GRACE_SECONDS: {
    schema: integer(0, 3600),
    default: '20',
    description:
      'When the last tab of a participant disconnects, they leave their call after this many seconds unless a tab reconnects (a reload does not end the call).',
  },
  CALL_MAX_PARTICIPANTS: {
    schema: integer(2, 1000),
    default: '50',
    description:
      'Group calls: the most participants joined at once; a join past it is refused with `The call is full (max N participants)`.',
  },
  SHUTDOWN_GRACE_SECONDS: {
    schema: integer(0, 3600),
    default: '30',
    description:
      'On SIGTERM the server drains (`docs/operations.md`, "Drain (SIGTERM)"): readiness answers 503, new calls are refused, every tab is told (`server.draining`) and live calls may go on for at most this many seconds; the ones still live then are ended, the history is written, sockets and the database close. 0: end live calls at once.',
  },
  WEBRTC_ENABLED: {
    schema: boolean,
    default: 'true',
    description:
      'Register the built-in WebRTC connector (mediasoup). `false`: no such provider and no mediasoup worker (e.g. a Jitsi-only deployment).',
  },
  MEDIASOUP_WORKERS: {
    schema: integer(0, 256),
    default: '0',
    description: 'mediasoup workers of the built-in WebRTC connector; `0` = one per CPU core.',
  },
  WEBRTC_RTC_PORT: {
    schema: integer(0, 65535),
    default: undefined,
    description:
      "This server's media port (UDP+TCP) for the built-in WebRTC connector, overriding the provider's `Media port` setting (worker n uses port + n; `0` picks free ports). For several servers on one machine, and for tests running side by side.",
  },
  WEBRTC_ANNOUNCED_ADDRESS: {
    schema: nonEmpty,
    default: undefined,
    description:
      "The address (IP or host name) browsers send this server's media to, overriding the provider's `Announced address` setting: with several nodes each announces its own.",
  },
  WEBRTC_CLIENT_MODULE: {
    schema: nonEmpty,
    default: undefined,
    description:
      'The bundled client half of the built-in WebRTC connector (an ES module), served to browsers. Default: `dist/connectors/webrtc/client.js` of the Parley installation (built by `nx run connector-webrtc:build-client`, part of the server build).',
  },
  FFMPEG_PATH: {
    schema: nonEmpty,
    default: undefined,
    description:
      'The ffmpeg that records calls of the built-in WebRTC connector (ffprobe is taken from the same folder). Default: `ffmpeg` on the PATH (Debian package `ffmpeg`).',
  },
  RECORDINGS_DIR: {
    schema: nonEmpty,
    default: undefined,
    description:
      'Folder of the call recordings (one WebM file per recording, named by its id; created at start-up). Default `<DATA_DIR>/recordings`.',
  },
  RECORDING_MAX_SECONDS: {
    schema: integer(5, 10800),
    default: undefined,
    description:
      "Recordings stop by themselves after this many seconds. Unset: the WebRTC provider's `recordingMaxMinutes` setting (admin page, default 60 minutes). For tests and development.",
  },
  RECORDING_REMINDER_SECONDS: {
    schema: integer(0, 3600),
    default: '600',
    description:
      'The host of a recording is reminded this many seconds before it stops at the limit (0: no reminder).',
  },
  PORTAL_DIST: {
    schema: nonEmpty,
    default: 'dist/portal/browser',
    description: 'Folder of the built Angular portal, served at `/`.',
  },
} as const;

export type ConfigVariable = keyof typeof CONFIG_VARIABLES;

/** Rows for a documentation table: name, default, description. */
export const CONFIG_DOCS: { name: ConfigVariable; default: string; description: string }[] = (
  Object.keys(CONFIG_VARIABLES) as ConfigVariable[]
).map((name) => ({
  name,
  default: CONFIG_VARIABLES[name].default ?? '(unset)',
  description: CONFIG_VARIABLES[name].description,
}));

/** The zod schema of the environment (values as read from `process.env`, defaults applied first). */
export const configSchema = z.object(
  Object.fromEntries(
    Object.entries(CONFIG_VARIABLES).map(([name, variable]) => [name, variable.schema.optional()]),
  ) as { [K in ConfigVariable]: z.ZodOptional<(typeof CONFIG_VARIABLES)[K]['schema']> },
);

type ParsedEnv = z.output<typeof configSchema>;

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Null: one node, no Redis (the default). Set: cluster mode over this Redis (`./cluster`). */
  redisUrl: string | null;
  dataDir: string;
  /** Undefined in development: generated and stored under `dataDir` at start-up. */
  sessionSecret?: string;
  sessionTtlHours: number;
  bearerTokenTtlMinutes: number;
  secureCookie: boolean;
  adminsGroup: string;
  portalTokenKey: string | null;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Null: metrics off (`/metrics` answers 404). */
  metricsToken: string | null;
  seedDemo: boolean;
  loginMaxAttempts: number;
  loginWindowSeconds: number;
  portalTokenMaxAttempts: number;
  /** Socket request limits (`socket-limits.ts`); null: that limit is off. */
  socketLimits: {
    socket: RateWindow | null;
    user: RateWindow | null;
    chat: RateWindow | null;
    reactions: RateWindow | null;
  };
  /** Serve `/api/docs` (default: not in production). */
  apiDocs: boolean;
  /** Origins allowed besides the server's own (PUBLIC_URL's): no trailing slash. */
  allowedOrigins: string[];
  /** Express `trust proxy` (TRUST_PROXY); false: no proxy is trusted. */
  trustProxy: number | string[] | false;
  /** Origins besides the server's own that may frame Parley (CSP frame-ancestors): no trailing slash. */
  frameAncestors: string[];
  portalDist: string;
  connectors: string[];
  connectorsPath: string[];
  /** Undefined in development: generated and stored under `dataDir` at start-up. */
  secretsKey?: string;
  publicUrl: string;
  defaultStunUrl: string | null;
  /** 0 = no periodic provider health check. */
  providerHealthIntervalSeconds: number;
  callRingTimeoutSeconds: number;
  callReconnectGraceSeconds: number;
  callMaxParticipants: number;
  /** SIGTERM: how long live calls may go on before the drain ends them; 0 = at once. */
  shutdownGraceSeconds: number;
  webrtcEnabled: boolean;
  /** 0 = one per CPU core. */
  mediasoupWorkers: number;
  /** Null: the provider's `rtcPort` setting. */
  webrtcRtcPort: number | null;
  /** Null: the provider's `announcedAddress` setting. */
  webrtcAnnouncedAddress: string | null;
  /** Null: the connector's default (`dist/connectors/webrtc/client.js` of the installation). */
  webrtcClientModule: string | null;
  /** Null: `ffmpeg` on the PATH. */
  ffmpegPath: string | null;
  /** Absolute; default `<dataDir>/recordings`. */
  recordingsDir: string;
  /** Null: the provider's max recording duration. */
  recordingMaxSeconds: number | null;
  recordingReminderSeconds: number;
}

/**
 * Validates the environment. Pure: throws a {@link ConfigError} naming every bad variable,
 * e.g. `Invalid configuration: PORT must be an integer 1-65535 (got "abc")`.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): AppConfig {
  const raw: Record<string, string | undefined> = Object.fromEntries(
    (Object.keys(CONFIG_VARIABLES) as ConfigVariable[]).map((name) => [
      name,
      env[name] === undefined || env[name] === '' ? CONFIG_VARIABLES[name].default : env[name],
    ]),
  );
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name} ${issue.message} (got ${JSON.stringify(raw[name] ?? '')})`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const values: ParsedEnv = parsed.data;
  const nodeEnv = values.NODE_ENV ?? 'development';
  if (nodeEnv === 'production' && !values.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration: SESSION_SECRET is required when NODE_ENV=production');
  }
  if (nodeEnv === 'production' && !values.SECRETS_KEY) {
    throw new ConfigError(
      'Invalid configuration: SECRETS_KEY is required when NODE_ENV=production (32 bytes: openssl rand -base64 32); it encrypts provider and TURN secrets at rest',
    );
  }
  if (values.PORTAL_TOKEN_SECRET && values.PORTAL_TOKEN_PUBLIC_KEY) {
    throw new ConfigError(
      'Invalid configuration: set either PORTAL_TOKEN_SECRET or PORTAL_TOKEN_PUBLIC_KEY, not both',
    );
  }
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  const dataDir = abs(values.DATA_DIR ?? 'data');
  const url = values.DATABASE_URL;
  const database: DatabaseConfig = !url
    ? { type: 'sqlite', path: join(dataDir, 'parley.sqlite') }
    : url.startsWith('sqlite:')
      ? { type: 'sqlite', path: abs(url.slice('sqlite:'.length)) }
      : { type: 'postgres', url };
  const redisUrl = values.REDIS_URL ?? null;
  if (redisUrl && database.type !== 'postgres') {
    throw new ConfigError(
      'Invalid configuration: REDIS_URL (cluster mode) needs DATABASE_URL to name PostgreSQL (postgres://…): every node must share one database, and a SQLite file belongs to one process',
    );
  }
  if (redisUrl && (!values.SESSION_SECRET || !values.SECRETS_KEY)) {
    throw new ConfigError(
      'Invalid configuration: REDIS_URL (cluster mode) needs SESSION_SECRET and SECRETS_KEY, the same on every node (a generated one would differ per node: sessions and provider secrets would not work across nodes)',
    );
  }
  return {
    nodeEnv,
    port: values.PORT ?? 3000,
    host: values.HOST ?? '0.0.0.0',
    database,
    redisUrl,
    dataDir,
    sessionSecret: values.SESSION_SECRET,
    sessionTtlHours: values.SESSION_TTL_HOURS ?? 12,
    bearerTokenTtlMinutes: values.BEARER_TOKEN_TTL_MINUTES ?? 60,
    secureCookie: values.COOKIE_SECURE ?? nodeEnv === 'production',
    adminsGroup: values.ADMINS_GROUP ?? 'platform/administrators',
    portalTokenKey: values.PORTAL_TOKEN_PUBLIC_KEY ?? values.PORTAL_TOKEN_SECRET ?? null,
    logLevel: values.LOG_LEVEL ?? 'info',
    metricsToken: values.METRICS_TOKEN ?? null,
    seedDemo: values.SEED_DEMO ?? nodeEnv !== 'production',
    loginMaxAttempts: values.LOGIN_MAX_ATTEMPTS ?? 10,
    loginWindowSeconds: values.LOGIN_WINDOW_SECONDS ?? 60,
    portalTokenMaxAttempts: values.PORTAL_TOKEN_MAX_ATTEMPTS ?? 300,
    socketLimits: {
      socket: values.SOCKET_MESSAGE_LIMIT ?? null,
      user: values.USER_MESSAGE_LIMIT ?? null,
      chat: values.CHAT_MESSAGE_LIMIT ?? null,
      reactions: values.CALL_REACTION_LIMIT ?? null,
    },
    apiDocs: values.API_DOCS ?? nodeEnv !== 'production',
    allowedOrigins: values.ALLOWED_ORIGINS ?? [],
    trustProxy: values.TRUST_PROXY ?? false,
    frameAncestors: values.FRAME_ANCESTORS ?? [],
    portalDist: abs(values.PORTAL_DIST ?? 'dist/portal/browser'),
    connectors: values.PARLEY_CONNECTORS ?? [],
    connectorsPath: (values.PARLEY_CONNECTORS_PATH ?? []).map(abs),
    secretsKey: values.SECRETS_KEY,
    publicUrl: values.PUBLIC_URL ?? `http://localhost:${values.PORT ?? 3000}`,
    defaultStunUrl:
      values.DEFAULT_STUN_URL === 'none' ? null : (values.DEFAULT_STUN_URL ?? 'stun:stun.l.google.com:19302'),
    providerHealthIntervalSeconds: values.PROVIDER_HEALTH_INTERVAL_SECONDS ?? 60,
    callRingTimeoutSeconds: values.CALL_RING_TIMEOUT_SECONDS ?? 30,
    callReconnectGraceSeconds: values.CALL_RECONNECT_GRACE_SECONDS ?? 20,
    callMaxParticipants: values.CALL_MAX_PARTICIPANTS ?? 50,
    shutdownGraceSeconds: values.SHUTDOWN_GRACE_SECONDS ?? 30,
    webrtcEnabled: values.WEBRTC_ENABLED ?? true,
    mediasoupWorkers: values.MEDIASOUP_WORKERS ?? 0,
    webrtcRtcPort: values.WEBRTC_RTC_PORT ?? null,
    webrtcAnnouncedAddress: values.WEBRTC_ANNOUNCED_ADDRESS ?? null,
    webrtcClientModule: values.WEBRTC_CLIENT_MODULE ? abs(values.WEBRTC_CLIENT_MODULE) : null,
    ffmpegPath: values.FFMPEG_PATH ?? null,
    recordingsDir: values.RECORDINGS_DIR ? abs(values.RECORDINGS_DIR) : join(dataDir, 'recordings'),
    recordingMaxSeconds: values.RECORDING_MAX_SECONDS ?? null,
    recordingReminderSeconds: values.RECORDING_REMINDER_SECONDS ?? 600,
  };
}
