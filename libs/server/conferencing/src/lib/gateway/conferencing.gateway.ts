import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketServer,
} from '@nestjs/websockets';
import { Actor, ParleyGateway, type ParleySocketData, type SocketActor } from '@parley/connector-sdk';
import type { AdminProvidersResponse, IceConfig, ProviderDescriptor, SocketEvents } from '@parley/protocol';
import { UserService } from '@parley/server-directory';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import { AdminOnly } from '../auth/admin.guard';
import { ConferencingEvents, type ConferencingEvent } from '../services/conferencing-events.service';
import { IceService } from '../services/ice.service';
import { ProviderRegistry } from '../services/provider-registry.service';

type ConferencingSocket = Socket<
  Record<string, never>,
  SocketEvents,
  Record<string, never>,
  ParleySocketData
>;

/** Channel of the connected admins (joined on connection). */
export const ADMINS_CHANNEL = 'admins';

/**
 * Conferencing messages on Parley's shared socket (`/socket.io`, authenticated). Pushes `providers.changed` to every
 * connected user on any registry change, and `admin.changed` to admins.
 */
@ParleyGateway()
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
  providers(): ProviderDescriptor[] {
    return this.registry.usable();
  }

  @SubscribeMessage('ice.config')
  iceConfig(@Actor() actor: SocketActor): IceConfig {
    return this.ice.clientConfig(actor.userId);
  }

  @AdminOnly()
  @SubscribeMessage('admin.providers')
  adminProviders(): AdminProvidersResponse {
    return this.registry.adminList();
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
