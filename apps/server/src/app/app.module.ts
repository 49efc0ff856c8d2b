import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DIRECTORY_ENTITIES, DIRECTORY_MIGRATIONS, DirectoryModule } from '@parley/server-directory';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './config';
import { HealthController } from './health.controller';

/** TypeORM options: SQLite (better-sqlite3, WAL) or PostgreSQL; the schema only comes from migrations. */
export function databaseOptions(config: AppConfig): TypeOrmModuleOptions {
  const common = {
    entities: DIRECTORY_ENTITIES,
    migrations: DIRECTORY_MIGRATIONS,
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

/** The configuration with the session secret resolved (see `resolveSessionSecret`). */
export type ResolvedConfig = AppConfig & { sessionSecret: string };

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
            autoLogging: { ignore: (req) => req.url === '/api/health' },
          },
        }),
        TypeOrmModule.forRootAsync({ useFactory: () => databaseOptions(config) }),
        DirectoryModule.forRoot({
          sessionSecret: config.sessionSecret,
          sessionTtlHours: config.sessionTtlHours,
          adminsGroup: config.adminsGroup,
          portalTokenKey: config.portalTokenKey,
          seedDemo: config.seedDemo,
          secureCookie: config.secureCookie,
        }),
      ],
      controllers: [HealthController],
    };
  }
}
