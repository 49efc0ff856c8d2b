import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import {
  CONFERENCING_ENTITIES,
  CONFERENCING_MIGRATIONS,
  ConferencingModule,
} from '@parley/server-conferencing';
import { CALLS_ENTITIES, CALLS_MIGRATIONS, CallsModule } from '@parley/server-calls';
import { DIRECTORY_ENTITIES, DIRECTORY_MIGRATIONS, DirectoryModule } from '@parley/server-directory';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './config';
import type { AppConnectors } from './connectors';
import { AdminCallsController } from './admin-calls.controller';
import { WebrtcMediaBridge } from './media-controls';
import { OpsModule } from './ops/ops.module';
import { lockedDataSource, StartupLock } from './startup-lock';

/** Requests not logged: probes and scrapes, every few seconds. */
const QUIET_PATHS = new Set(['/api/health', '/api/health/live', '/api/health/ready', '/metrics']);

/** TypeORM options: SQLite (better-sqlite3, WAL) or PostgreSQL; the schema only comes from migrations. */
export function databaseOptions(config: AppConfig): TypeOrmModuleOptions {
  const common = {
    entities: [...DIRECTORY_ENTITIES, ...CONFERENCING_ENTITIES, ...CALLS_ENTITIES] as (new () => object)[],
    migrations: [
      ...DIRECTORY_MIGRATIONS,
      ...CONFERENCING_MIGRATIONS,
      ...CALLS_MIGRATIONS,
    ] as (new () => object)[],
    migrationsRun: true,
    synchronize: false,
    retryAttempts: 3,
  } as const;
  if (config.database.type === 'postgres') {
    return { type: 'postgres', url: config.database.url, ...common };
  }
  mkdirSync(dirname(config.database.path), { recursive: true });
  return { type: 'better-sqlite3', database: config.database.path, enableWAL: true, ...common };
}

/** The configuration with the secrets resolved (`resolveSessionSecret`, `resolveSecretsKey`) and the connectors loaded. */
export type ResolvedConfig = AppConfig & {
  sessionSecret: string;
  secretsKeyBytes: Buffer;
  appConnectors: AppConnectors;
  /** Cluster mode (`REDIS_URL`): `ClusterModule.forCluster(…)`, built by `createApp` (Redis loaded only then). */
  clusterModule?: DynamicModule;
};

@Module({})
export class AppModule {
  static forRoot(config: ResolvedConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
            autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url?.split('?')[0] ?? '') },
          },
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => databaseOptions(config),
          // PostgreSQL: migrations and seed under a lock (nodes starting together take turns).
          ...(config.database.type === 'postgres'
            ? {
                dataSourceFactory: (options?: DataSourceOptions) =>
                  lockedDataSource(options as DataSourceOptions),
              }
            : {}),
        }),
        // Global so the conferencing module (and connectors) can inject the directory's services.
        {
          ...DirectoryModule.forRoot({
            sessionSecret: config.sessionSecret,
            sessionTtlHours: config.sessionTtlHours,
            bearerTokenTtlMinutes: config.bearerTokenTtlMinutes,
            adminsGroup: config.adminsGroup,
            portalTokenKey: config.portalTokenKey,
            seedDemo: config.seedDemo,
            secureCookie: config.secureCookie,
            loginMaxAttempts: config.loginMaxAttempts,
            loginWindowSeconds: config.loginWindowSeconds,
            portalTokenMaxAttempts: config.portalTokenMaxAttempts,
          }),
          global: true,
        },
        ...config.appConnectors.modules,
        // Global so the call service can inject the provider registry.
        {
          ...ConferencingModule.forRoot({
            secretsKey: config.secretsKeyBytes,
            connectors: config.appConnectors.registrations,
            loadErrors: config.appConnectors.loadErrors,
            publicUrl: config.publicUrl,
            defaultStunUrl: config.defaultStunUrl,
            healthIntervalSeconds: config.providerHealthIntervalSeconds,
          }),
          global: true,
        },
        CallsModule.forRoot({
          ringTimeoutSeconds: config.callRingTimeoutSeconds,
          reconnectGraceSeconds: config.callReconnectGraceSeconds,
          maxParticipants: config.callMaxParticipants,
          recordingsDir: config.recordingsDir,
          recordingMaxSeconds: config.recordingMaxSeconds,
          recordingReminderSeconds: config.recordingReminderSeconds,
        }),
        OpsModule.forRoot({
          metricsToken: config.metricsToken,
          shutdownGraceSeconds: config.shutdownGraceSeconds,
        }),
        ...(config.clusterModule ? [config.clusterModule] : []),
      ],
      controllers: [AdminCallsController],
      providers: [StartupLock, ...(config.webrtcEnabled ? [WebrtcMediaBridge] : [])],
    };
  }
}
