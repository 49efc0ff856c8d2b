import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { SOCKET_TIMING } from '@parley/protocol';
import { SocketAuthentication } from '@parley/server-directory';
import { type Observable, tap } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { DrainService } from './ops/drain.service';
import { MetricsService } from './ops/metrics.service';
import type { OriginPolicy } from './request-origin';
import { SocketGate, type SocketGateObserver } from './socket-gate';
import { SocketLimits } from './socket-limits';

/** A socket.io adapter (what `ServerOptions.adapter` takes), e.g. the Redis adapter's `createAdapter(…)`. */
export type SocketAdapterFactory = ServerOptions['adapter'];

/**
 * Parley's one socket.io server:
 * - authenticated: `SocketAuthentication` is the namespace's first middleware, so every gateway's
 *   connections and messages come from a signed-in user (`socket.data.userId`);
 * - same-origin: a handshake whose `Origin` the {@link OriginPolicy} does not allow is refused
 *   before it is authenticated (no cross-site WebSocket hijacking with the session cookie);
 * - with Parley's ping timing ({@link SOCKET_TIMING}): a connection whose network died is closed
 *   within 15 s (instead of socket.io's 45 s), so call participants see "reconnecting" and the
 *   grace period starts while the user can still come back;
 * - in cluster mode (`REDIS_URL`), on the socket.io Redis adapter (`cluster/redis-cluster.ts`): a
 *   push to a user's channel, a room or everyone reaches the sockets of every node;
 * - gated ({@link SocketGate}): every request of a socket passes its limits ({@link SocketLimits})
 *   and must name a request some gateway handles (collected here as they bind), or it is answered
 *   `rate_limited` / `not_found` without reaching a gateway;
 * - measured when metrics are on: its connections (`parley_sockets_connected`) and every reply a
 *   gateway sends, by event and outcome (`parley_socket_messages_total`), counted here where the
 *   reply leaves for the client, after the SDK's `SocketReplyInterceptor` made it;
 * - drained on SIGTERM ({@link DrainService}): its tabs are told, then disconnected.
 */
export class ParleySocketAdapter extends IoAdapter {
  private readonly metrics: MetricsService | null;
  /** Every request name a gateway handles (all gateways bind theirs on each connection). */
  private readonly events = new Set<string>();

  constructor(
    private readonly app: INestApplicationContext,
    private readonly origins: OriginPolicy,
    /** Cluster mode: the Redis adapter. Unset: socket.io's in-memory one (one node). */
    private readonly socketAdapter?: SocketAdapterFactory,
    /** The request limits (`SocketLimits.create(config.socketLimits, …)`); unset: none. */
    private readonly limits: SocketLimits = SocketLimits.none(),
  ) {
    super(app);
    const metrics = app.get(MetricsService, { strict: false });
    this.metrics = metrics.enabled ? metrics : null;
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowRequest: ServerOptions['allowRequest'] = (req, allow) => {
      const ok = this.origins.allows(req.headers.origin, req.headers.host);
      allow(ok ? null : 'origin not allowed', ok);
    };
    const server = super.createIOServer(port, {
      ...options,
      pingInterval: SOCKET_TIMING.pingIntervalMs,
      pingTimeout: SOCKET_TIMING.pingTimeoutMs,
      cors: { origin: this.origins.listedOrigins, credentials: true },
      allowRequest,
      ...(this.socketAdapter ? { adapter: this.socketAdapter } : {}),
    }) as Server;
    server.use(this.app.get(SocketAuthentication).middleware);
    // Registered before the gateways' connection handlers, so installed before any request is read.
    const gate = new SocketGate(this.limits, this.events, this.gateObserver());
    server.on('connection', (socket: Socket) => gate.install(socket));
    this.app.get(DrainService, { strict: false }).attach(server);
    this.metrics?.watchSockets(() => server.sockets.sockets.size);
    return server;
  }

  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const handler of handlers) this.events.add(handler.message as string);
    const metrics = this.metrics;
    if (!metrics) return super.bindMessageHandlers(socket, handlers, transform);
    // One binding per handler, so each reply is counted under its own event name (the socket's
    // disconnect stream is shared by all of them: IoAdapter keeps one per socket).
    for (const handler of handlers) {
      super.bindMessageHandlers(socket, [handler], (result) => {
        let replied = false;
        return transform(result).pipe(
          tap({
            next: (reply) => {
              if (reply === undefined || reply === null) return;
              replied = true;
              metrics.socketReply(handler.message as string, reply);
            },
            complete: () => {
              if (!replied) metrics.socketReply(handler.message as string, undefined);
            },
          }),
        );
      });
    }
  }

  /** The gate's answers and refusals, counted when metrics are on. */
  private gateObserver(): SocketGateObserver | undefined {
    const metrics = this.metrics;
    if (!metrics) return undefined;
    return {
      answered: (event, reply) => metrics.socketReply(event, reply),
      rateLimited: (event, limit) => metrics.socketRateLimited(event, limit),
    };
  }
}
