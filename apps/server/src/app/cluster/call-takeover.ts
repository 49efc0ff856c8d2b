import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CallEvents, CallHistory } from '@parley/server-calls';
import { CallRelay } from './call-relay';
import { REDIS_CLUSTER } from './cluster-sync.service';
import type { RedisCluster } from './redis-cluster';

/** How often each node looks for dead nodes' calls. */
const SWEEP_MS = 2_000;
export const NODE_LOST_REASON = 'call failed: its server stopped';

/**
 * Cluster mode: the calls of a node that died (its lease expired, `NODE_LEASE_MS`) end on
 * every screen, and their history rows close, exactly once: whichever live node takes the dead
 * node's call set out of the index first ends them (`failed`, {@link NODE_LOST_REASON}) and tells
 * their participants (`call.ended`); their ring and grace timers died with the node, so nothing
 * stays ringing. (Moving a group call's media to a live node instead is not built yet.)
 */
@Injectable()
export class CallTakeover implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CallTakeover');
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    @Inject(REDIS_CLUSTER) private readonly cluster: RedisCluster,
    private readonly relay: CallRelay,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref?.();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One look: every dead node's calls ended (the ones this node got). */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    const index = this.relay.index;
    try {
      for (const node of await index.nodesWithCalls()) {
        if (node === this.cluster.nodeId || (await index.nodeAlive(node))) continue;
        const ids = await index.takeCallsOf(node);
        if (ids.length > 0) await this.endCalls(node, ids);
      }
    } catch (error) {
      this.logger.warn(
        `looking for dead nodes' calls failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.sweeping = false;
    }
  }

  private async endCalls(node: string, ids: string[]): Promise<void> {
    const history = this.moduleRef.get(CallHistory, { strict: false });
    const events = this.moduleRef.get(CallEvents, { strict: false });
    const ended = await history.failOpen(NODE_LOST_REASON, { ids });
    for (const call of ended) {
      events.push(
        call.participants.map((p) => p.userId),
        'call.ended',
        { call, reason: NODE_LOST_REASON },
      );
    }
    this.logger.warn(`Node ${node} is gone: ended its ${ended.length} open call(s) of ${ids.length}`);
  }
}
