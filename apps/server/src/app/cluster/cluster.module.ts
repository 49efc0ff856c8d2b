import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { SOCKET_RELAY } from '@parley/connector-sdk';
import { CallRelay } from './call-relay';
import { CallTakeover } from './call-takeover';
import { ClusterSync, REDIS_CLUSTER } from './cluster-sync.service';
import type { RedisCluster } from './redis-cluster';

/**
 * Cluster mode (`REDIS_URL`) over an already connected {@link RedisCluster}: the cluster bus
 * (presence, provider and ICE changes), the shared call index and the relay of requests about a
 * call to the node hosting it.
 */
@Module({})
export class ClusterModule {
  static forCluster(cluster: RedisCluster): DynamicModule {
    return {
      module: ClusterModule,
      // Global: every gateway's SocketRelayInterceptor finds the relay.
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: REDIS_CLUSTER, useValue: cluster },
        ClusterSync,
        CallRelay,
        CallTakeover,
        { provide: SOCKET_RELAY, useExisting: CallRelay },
      ],
      exports: [SOCKET_RELAY, REDIS_CLUSTER],
    };
  }
}
