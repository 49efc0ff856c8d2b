import { CONFIG_DOCS, CONFIG_VARIABLES, ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the defaults', () => {
    expect(loadConfig({}, '/srv/parley')).toEqual({
      nodeEnv: 'development',
      port: 3000,
      host: '0.0.0.0',
      database: { type: 'sqlite', path: '/srv/parley/data/parley.sqlite' },
      redisUrl: null,
      dataDir: '/srv/parley/data',
      sessionSecret: undefined,
      sessionTtlHours: 12,
      bearerTokenTtlMinutes: 60,
      secureCookie: false,
      adminsGroup: 'platform/administrators',
      portalTokenKey: null,
      logLevel: 'info',
      metricsToken: null,
      seedDemo: true,
      loginMaxAttempts: 10,
      loginWindowSeconds: 60,
      portalTokenMaxAttempts: 300,
      socketLimits: {
        socket: { points: 300, seconds: 3 },
        user: { points: 600, seconds: 3 },
        chat: { points: 20, seconds: 10 },
        reactions: { points: 20, seconds: 10 },
      },
      apiDocs: true,
      allowedOrigins: [],
      trustProxy: false,
      frameAncestors: [],
      portalDist: '/srv/parley/dist/portal/browser',
      connectors: [],
      connectorsPath: [],
      secretsKey: undefined,
      publicUrl: 'http://localhost:3000',
      defaultStunUrl: 'stun:stun.l.google.com:19302',
      providerHealthIntervalSeconds: 60,
      callRingTimeoutSeconds: 30,
      callReconnectGraceSeconds: 20,
      callMaxParticipants: 50,
      shutdownGraceSeconds: 30,
      webrtcEnabled: true,
      mediasoupWorkers: 0,
      webrtcRtcPort: null,
      webrtcAnnouncedAddress: null,
      webrtcClientModule: null,
      ffmpegPath: null,
      recordingsDir: '/srv/parley/data/recordings',
      recordingMaxSeconds: null,
      recordingReminderSeconds: 600,
    });
  });

  it('never seeds the demo (known passwords) in production unless SEED_DEMO=true says so', () => {
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'a-long-enough-session-secret',
      SECRETS_KEY: 'a'.repeat(64),
    };
    expect(loadConfig(production).seedDemo).toBe(false);
    expect(loadConfig({ ...production, SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).seedDemo).toBe(true);
  });

  it('reads the socket limits (<requests>/<seconds> or off) and whether to serve the API docs', () => {
    expect(
      loadConfig({
        SOCKET_MESSAGE_LIMIT: '50/1',
        USER_MESSAGE_LIMIT: 'OFF',
        CHAT_MESSAGE_LIMIT: ' 5/60 ',
        CALL_REACTION_LIMIT: 'off',
      }).socketLimits,
    ).toEqual({
      socket: { points: 50, seconds: 1 },
      user: null,
      chat: { points: 5, seconds: 60 },
      reactions: null,
    });
    for (const bad of ['20', '0/10', '10/0', '10/3601', 'ten/10', '-1/5']) {
      expect(() => loadConfig({ CHAT_MESSAGE_LIMIT: bad })).toThrow(
        `CHAT_MESSAGE_LIMIT must be <requests>/<seconds> (requests 1-1000000, seconds 1-3600, e.g. 20/10) or off (got ${JSON.stringify(bad)})`,
      );
    }
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'a-long-enough-session-secret',
      SECRETS_KEY: 'a'.repeat(64),
    };
    expect(loadConfig(production).apiDocs).toBe(false);
    expect(loadConfig({ ...production, API_DOCS: 'true' }).apiDocs).toBe(true);
    expect(loadConfig({ API_DOCS: 'false' }).apiDocs).toBe(false);
  });

  it('reads the sign-in throttling and the allowed origins', () => {
    expect(
      loadConfig({
        LOGIN_MAX_ATTEMPTS: '5',
        LOGIN_WINDOW_SECONDS: '30',
        ALLOWED_ORIGINS: ' https://portal.example.com/, http://intranet:8080 ,',
      }),
    ).toMatchObject({
      loginMaxAttempts: 5,
      loginWindowSeconds: 30,
      allowedOrigins: ['https://portal.example.com', 'http://intranet:8080'],
    });
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'portal.example.com' })).toThrow(
      /ALLOWED_ORIGINS must be a comma-separated list of origins/,
    );
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://portal.example.com/path' })).toThrow(
      /ALLOWED_ORIGINS/,
    );
    expect(() => loadConfig({ LOGIN_MAX_ATTEMPTS: '0' })).toThrow(
      /LOGIN_MAX_ATTEMPTS must be an integer 1-10000/,
    );
    expect(loadConfig({ PORTAL_TOKEN_MAX_ATTEMPTS: '50' }).portalTokenMaxAttempts).toBe(50);
  });

  it('reads TRUST_PROXY (hops, or addresses and subnets) and refuses anything else', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8 ,192.0.2.7' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.7',
    ]);
    for (const bad of ['true', 'proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/1', 'loopback,']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(
        /TRUST_PROXY must be a number of proxy hops \(e\.g\. 1\) or a comma list/,
      );
    }
  });

  it('reads the shutdown grace (default 30 s, 0 ends calls at once)', () => {
    expect(loadConfig({}).shutdownGraceSeconds).toBe(30);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '0' }).shutdownGraceSeconds).toBe(0);
    expect(() => loadConfig({ SHUTDOWN_GRACE_SECONDS: '-1' })).toThrow(
      /SHUTDOWN_GRACE_SECONDS must be an integer 0-3600/,
    );
  });

  it('reads the recording settings', () => {
    expect(
      loadConfig(
        { DATA_DIR: '/var/parley', RECORDING_MAX_SECONDS: '12', RECORDING_REMINDER_SECONDS: '6' },
        '/srv',
      ),
    ).toMatchObject({
      recordingsDir: '/var/parley/recordings',
      recordingMaxSeconds: 12,
      recordingReminderSeconds: 6,
    });
    expect(loadConfig({ RECORDINGS_DIR: 'rec' }, '/srv').recordingsDir).toBe('/srv/rec');
    expect(() => loadConfig({ RECORDING_MAX_SECONDS: '2' })).toThrow(
      /RECORDING_MAX_SECONDS must be an integer 5-10800/,
    );
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        PORT: '8080',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://parley:secret@db:5432/parley',
        DATA_DIR: '/var/lib/parley',
        SESSION_SECRET: 'a-long-enough-session-secret',
        SESSION_TTL_HOURS: '24',
        ADMINS_GROUP: 'admins',
        PORTAL_TOKEN_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----',
        LOG_LEVEL: 'warn',
        SEED_DEMO: 'false',
        PORTAL_DIST: '/opt/portal',
        PARLEY_CONNECTORS: ' @parley/connector-jitsi, acme-zoom ,',
        PARLEY_CONNECTORS_PATH: '/opt/plugins:rel',
        SECRETS_KEY: 'a'.repeat(64),
        PUBLIC_URL: 'https://parley.example.com/',
        DEFAULT_STUN_URL: 'none',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      nodeEnv: 'production',
      port: 8080,
      host: '127.0.0.1',
      database: { type: 'postgres', url: 'postgres://parley:secret@db:5432/parley' },
      dataDir: '/var/lib/parley',
      sessionTtlHours: 24,
      secureCookie: true,
      adminsGroup: 'admins',
      portalTokenKey: '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----',
      logLevel: 'warn',
      seedDemo: false,
      portalDist: '/opt/portal',
      connectors: ['@parley/connector-jitsi', 'acme-zoom'],
      connectorsPath: ['/opt/plugins', '/srv/rel'],
      secretsKey: 'a'.repeat(64),
      publicUrl: 'https://parley.example.com',
      defaultStunUrl: null,
    });
    expect(loadConfig({ DATABASE_URL: 'sqlite:db/x.sqlite' }, '/srv').database).toEqual({
      type: 'sqlite',
      path: '/srv/db/x.sqlite',
    });
    expect(loadConfig({ PORTAL_TOKEN_SECRET: 'shared-secret-0123456789' }).portalTokenKey).toBe(
      'shared-secret-0123456789',
    );
  });

  it('names the variable and the bad value', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(
      new ConfigError('Invalid configuration: PORT must be an integer 1-65535 (got "abc")'),
    );
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be an integer 1-65535/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud', SEED_DEMO: 'maybe' })).toThrow(
      /LOG_LEVEL must be one of .*\(got "loud"\); SEED_DEMO must be true or false \(got "maybe"\)/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL must be a postgres:\/\/ URL/,
    );
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET must be at least 16/);
    expect(() => loadConfig({ SECRETS_KEY: 'too-short' })).toThrow(/SECRETS_KEY must be 32 bytes/);
    expect(() => loadConfig({ PARLEY_CONNECTORS: 'ok,Not A Name' })).toThrow(
      /PARLEY_CONNECTORS must be a comma-separated list of npm package names/,
    );
    expect(() => loadConfig({ DEFAULT_STUN_URL: 'http://x' })).toThrow(
      /DEFAULT_STUN_URL must be a stun: URL or none/,
    );
  });

  it('refuses production without SESSION_SECRET and two portal keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET is required/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'a-long-enough-session-secret' }),
    ).toThrow(/SECRETS_KEY is required when NODE_ENV=production/);
    expect(() =>
      loadConfig({
        PORTAL_TOKEN_SECRET: 'shared-secret-0123456789',
        PORTAL_TOKEN_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----',
      }),
    ).toThrow(/either PORTAL_TOKEN_SECRET or PORTAL_TOKEN_PUBLIC_KEY/);
  });

  it('documents every variable', () => {
    expect(CONFIG_DOCS.map((row) => row.name)).toEqual(Object.keys(CONFIG_VARIABLES));
    expect(CONFIG_DOCS.find((row) => row.name === 'PORT')).toMatchObject({ default: '3000' });
    expect(CONFIG_DOCS.every((row) => row.description.length > 0)).toBe(true);
  });
  it('reads the call and WebRTC settings, with defaults and validation', () => {
    expect(loadConfig({}, '/srv')).toMatchObject({
      callRingTimeoutSeconds: 30,
      callReconnectGraceSeconds: 20,
      callMaxParticipants: 50,
      mediasoupWorkers: 0,
      webrtcClientModule: null,
    });
    expect(
      loadConfig(
        {
          CALL_RING_TIMEOUT_SECONDS: '5',
          CALL_RECONNECT_GRACE_SECONDS: '0',
          MEDIASOUP_WORKERS: '2',
          WEBRTC_RTC_PORT: '0',
          WEBRTC_CLIENT_MODULE: '/opt/client.js',
          FFMPEG_PATH: '/opt/ffmpeg/bin/ffmpeg',
        },
        '/srv',
      ),
    ).toMatchObject({
      callRingTimeoutSeconds: 5,
      callReconnectGraceSeconds: 0,
      mediasoupWorkers: 2,
      webrtcRtcPort: 0,
      webrtcClientModule: '/opt/client.js',
      ffmpegPath: '/opt/ffmpeg/bin/ffmpeg',
    });
    expect(() => loadConfig({ CALL_RING_TIMEOUT_SECONDS: '0' })).toThrow(
      /CALL_RING_TIMEOUT_SECONDS must be an integer 1-600/,
    );
    expect(() => loadConfig({ MEDIASOUP_WORKERS: 'many' })).toThrow(/MEDIASOUP_WORKERS must be an integer/);
    expect(() => loadConfig({ WEBRTC_RTC_PORT: '70000' })).toThrow(
      /WEBRTC_RTC_PORT must be an integer 0-65535/,
    );
  });

  it('reads the provider health interval (0 turns the periodic check off)', () => {
    expect(loadConfig({}, '/srv').providerHealthIntervalSeconds).toBe(60);
    expect(loadConfig({ PROVIDER_HEALTH_INTERVAL_SECONDS: '0' }, '/srv').providerHealthIntervalSeconds).toBe(
      0,
    );
    expect(loadConfig({ PROVIDER_HEALTH_INTERVAL_SECONDS: '15' }, '/srv').providerHealthIntervalSeconds).toBe(
      15,
    );
    for (const bad of ['-1', 'often', '1.5', '86401']) {
      expect(() => loadConfig({ PROVIDER_HEALTH_INTERVAL_SECONDS: bad })).toThrow(
        /PROVIDER_HEALTH_INTERVAL_SECONDS must be an integer 0-86400/,
      );
    }
  });

  it('reads METRICS_TOKEN (metrics on) and refuses a short or header-unsafe one', () => {
    expect(loadConfig({ METRICS_TOKEN: ' 0123456789abcdef0123 ' }, '/srv').metricsToken).toBe(
      '0123456789abcdef0123',
    );
    for (const bad of ['short', 'sixteen chars ok', 'tökentökentökentöken', 'a'.repeat(15)]) {
      expect(() => loadConfig({ METRICS_TOKEN: bad })).toThrow(
        /METRICS_TOKEN must be at least 16 characters of A-Z a-z 0-9/,
      );
    }
  });
  it('reads REDIS_URL (cluster mode: PostgreSQL and shared secrets required) and refuses a bad one', () => {
    const cluster = {
      DATABASE_URL: 'postgres://parley@db:5432/parley',
      SESSION_SECRET: 's'.repeat(32),
      SECRETS_KEY: 'ab'.repeat(32),
    };
    expect(loadConfig({}, '/srv').redisUrl).toBeNull();
    expect(loadConfig({ ...cluster, REDIS_URL: ' redis://:pw@10.0.0.5:6379/2 ' }).redisUrl).toBe(
      'redis://:pw@10.0.0.5:6379/2',
    );
    expect(loadConfig({ ...cluster, REDIS_URL: 'rediss://cache.example.com' }).redisUrl).toBe(
      'rediss://cache.example.com',
    );
    expect(() => loadConfig({ ...cluster, REDIS_URL: 'localhost:6379' })).toThrow(
      /REDIS_URL must start with redis:\/\/ or rediss:\/\//,
    );
    expect(() => loadConfig({ ...cluster, REDIS_URL: 'not a url' })).toThrow(
      /REDIS_URL must be a redis:\/\/ URL/,
    );
    expect(() => loadConfig({ ...cluster, REDIS_URL: 'redis://host:6379/cache' })).toThrow(
      /REDIS_URL may name only a database number/,
    );
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /REDIS_URL \(cluster mode\) needs DATABASE_URL to name PostgreSQL/,
    );
    expect(() =>
      loadConfig({ DATABASE_URL: cluster.DATABASE_URL, REDIS_URL: 'redis://127.0.0.1:6379' }),
    ).toThrow(/needs SESSION_SECRET and SECRETS_KEY, the same on every node/);
  });
});
