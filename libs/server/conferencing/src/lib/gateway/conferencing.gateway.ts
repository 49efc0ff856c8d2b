import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type {
  AdminProvidersResponse,
  IceConfig,
  ProviderDescriptor,
  SocketEvents,
  SocketReply,
} from '@parley/protocol';
import { UserService } from '@parley/server-directory';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import { AdminOnly } from '../auth/admin.guard';
import { ConferencingEvents, type ConferencingEvent } from '../services/conferencing-events.service';
import { IceService } from '../services/ice.service';
import { ProviderRegistry } from '../services/provider-registry.service';

/** Socket data set by the directory gateway's handshake middleware. */
interface SocketData {
  userId?: string;
}

type ConferencingSocket = Socket<Record<string, never>, SocketEvents, Record<string, never>, SocketData>;

/** Channel of the connected admins (joined on connection). */
export const ADMINS_CHANNEL = 'admins';

async function reply<T>(work: () => T | Promise<T>, logger: Logger): Promise<SocketReply<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    logger.error(
      `Socket request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return { ok: false, error: { code: 'internal', message: 'Internal error' } };
  }
}

/**
 * Conferencing messages on the same socket.io server as the directory (`/socket.io`; the directory's
 * handshake middleware authenticates and sets `socket.data.userId`). Pushes `providers.changed` to every
 * connected user on any registry change, and `admin.changed` to admins.
 */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class ConferencingGateway
  implements OnGatewayInit<Server>, OnGatewayConnection<ConferencingSocket>, OnModuleDestroy
{
  private readonly logger = new Logger(ConferencingGateway.name);
  private subscription?: Subscription;

  @WebSocketServer()
  server!: Server;

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly ice: IceService,
    private readonly users: UserService,
    private readonly events: ConferencingEvents,
  ) {}

  afterInit(): void {
    this.subscription = this.events.events$.subscribe((event) => this.push(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  async handleConnection(socket: ConferencingSocket): Promise<void> {
    const userId = socket.data.userId;
    if (!userId) return;
    try {
      if ((await this.users.profile(userId)).isAdmin && socket.connected) await socket.join(ADMINS_CHANNEL);
    } catch (error) {
      this.logger.error(`Conferencing socket setup failed: ${String(error)}`);
    }
  }

  @SubscribeMessage('providers.list')
  providers(): Promise<SocketReply<ProviderDescriptor[]>> {
    return reply(() => this.registry.usable(), this.logger);
  }

  @SubscribeMessage('ice.config')
  iceConfig(@ConnectedSocket() socket: ConferencingSocket): Promise<SocketReply<IceConfig>> {
    return reply(() => {
      const userId = socket.data.userId;
      if (!userId) throw new Error('socket without user');
      return this.ice.clientConfig(userId);
    }, this.logger);
  }

  @AdminOnly()
  @SubscribeMessage('admin.providers')
  adminProviders(): Promise<SocketReply<AdminProvidersResponse>> {
    return reply(() => this.registry.adminList(), this.logger);
  }

  private push(event: ConferencingEvent): void {
    if (!this.server) return;
    if (event.type === 'providers.changed') {
      // The same list for everyone today (no per-user provider restrictions yet).
      const payload: SocketEvents['providers.changed'] = { providers: this.registry.usable() };
      this.server.emit('providers.changed', payload);
    }
    const area: SocketEvents['admin.changed'] = { area: event.type === 'ice.changed' ? 'ice' : 'providers' };
    this.server.to(ADMINS_CHANNEL).emit('admin.changed', area);
  }
}
