import { type DynamicModule, Module } from '@nestjs/common';
import { ClusterSync, REDIS_CLUSTER } from './cluster-sync.service';
import type { RedisCluster } from './redis-cluster';

/** Cluster mode (`REDIS_URL`): the cluster bus over an already connected {@link RedisCluster}. */
@Module({})
export class ClusterModule {
  static forCluster(cluster: RedisCluster): DynamicModule {
    return {
      module: ClusterModule,
      providers: [{ provide: REDIS_CLUSTER, useValue: cluster }, ClusterSync],
    };
  }
}
