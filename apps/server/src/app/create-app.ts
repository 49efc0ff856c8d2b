import { type DynamicModule, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { serveApiDocs } from './api-docs';
import { AppModule } from './app.module';
import { ChatRestLimit } from './chat-rest-limit';
import type { AppConfig } from './config';
import { appConnectors } from './connectors';
import { servePortal } from './portal-static';
import { OriginPolicy, stateChangeGuard } from './request-origin';
import { securityHeaders } from './security-headers';
import { ParleySocketAdapter, type SocketAdapterFactory } from './socket-adapter';
import { SocketLimits } from './socket-limits';
import { resolveSecretsKey } from './secrets-key';
import { resolveSessionSecret } from './session-secret';
import { PrototypeKeysPipe } from './prototype-keys.pipe';

async function connectCluster(
  redisUrl: string,
  boot: pino.Logger,
): Promise<{
  module: DynamicModule;
  socketAdapter: SocketAdapterFactory;
  /** Where the per-user socket limits count, shared by every node. */
  limitStore: import('./cluster/redis-cluster').RedisCluster['commands'];
}> {
  // Required here, not imported at the top: a single node never loads ioredis or the adapter.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RedisCluster } = require('./cluster/redis-cluster') as typeof import('./cluster/redis-cluster');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ClusterModule } = require('./cluster/cluster.module') as typeof import('./cluster/cluster.module');
  const log = {
    info: (message: string) => boot.info({ context: 'Cluster' }, message),
    warn: (message: string) => boot.warn({ context: 'Cluster' }, message),
    error: (message: string) => boot.error({ context: 'Cluster' }, message),
  };
  const cluster = await RedisCluster.connect(redisUrl, log);
  return {
    module: ClusterModule.forCluster(cluster),
    socketAdapter: cluster.socketAdapter(),
    limitStore: cluster.commands,
  };
}

/**
 * Builds the whole server, not listening yet: `const app = await createApp(config);
 * await app.listen(config.port, config.host)`. Migrations run here; the demo seed runs on listen/init.
 * Tests listen on port 0 with a temp SQLite file.
 */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const boot = pino({ level: config.logLevel });
  const sessionSecret = resolveSessionSecret(config, (message) => boot.warn({ context: 'Config' }, message));
  const secretsKeyBytes = resolveSecretsKey(config, (message) => boot.warn({ context: 'Config' }, message));
  const connectors = appConnectors(config);
  for (const error of connectors.loadErrors) {
    boot.error({ context: 'Connectors' }, `Plug-in connector ${error.package} not loaded: ${error.message}`);
  }

  // Cluster mode only: Redis, its socket.io adapter and the cluster bus are loaded here, on demand.
  const cluster = config.redisUrl ? await connectCluster(config.redisUrl, boot) : null;

  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      ...config,
      sessionSecret,
      secretsKeyBytes,
      appConnectors: connectors,
      clusterModule: cluster?.module,
    }),
    {
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  const origins = new OriginPolicy(config.publicUrl, config.allowedOrigins);
  const socketLimits = SocketLimits.create(config.socketLimits, cluster?.limitStore);
  app.useWebSocketAdapter(new ParleySocketAdapter(app, origins, cluster?.socketAdapter, socketLimits));
  // Before everything else, so that refusals, the API docs and the portal get the headers too.
  app.use(securityHeaders({ publicUrl: config.publicUrl, frameAncestors: config.frameAncestors }));
  app.use(stateChangeGuard(origins));
  if (config.allowedOrigins.length > 0) {
    // Pages on those origins (the widget's custom elements) call the API with the cookie.
    app.enableCors({ origin: origins.listedOrigins, credentials: true });
  }
  app.useGlobalInterceptors(new ChatRestLimit(socketLimits));
  app.useGlobalPipes(
    new PrototypeKeysPipe(),
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.disable('x-powered-by');
  // `req.ip` (sign-in throttling, logs) is the client's, not the load balancer's, behind TRUST_PROXY.
  app.set('trust proxy', config.trustProxy);

  if (config.apiDocs) serveApiDocs(app);

  servePortal(app, config.portalDist);
  return app;
}
