import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { UserSummary } from '@parley/protocol';
import { ConferencingEvents, IceService, ProviderRegistry } from '@parley/server-conferencing';
import { DirectoryEvents, PresenceRegistry, UserService } from '@parley/server-directory';
import type { Subscription } from 'rxjs';
import { REDIS_CLUSTER } from './cluster-token';
import { CLUSTER_KEYS, type RedisCluster } from './redis-cluster';

export { REDIS_CLUSTER };

/** A node's lease and presence hash live this long without a heartbeat: a killed node drops out. */
export const NODE_LEASE_MS = 6_000;
const HEARTBEAT_MS = 2_000;

/** What nodes tell each other on the cluster bus (`CLUSTER_KEYS.bus`). */
export type ClusterMessage =
  /** The node's first tab of `user` connected (`online`) or its last one closed. */
  | { kind: 'tabs'; node: string; user: UserSummary; online: boolean }
  /** An admin changed providers (saved to `provider_configs`): reload them from the database. */
  | { kind: 'providers'; node: string }
  /** An admin changed ICE servers or the ICE policy: reload them from the database. */
  | { kind: 'ice'; node: string }
  /** The node (re)wrote its presence hash (start, or after a Redis outage): read it. */
  | { kind: 'node.synced'; node: string }
  /** The node stops (SIGTERM): drop its users now rather than when its lease expires. */
  | { kind: 'node.gone'; node: string };

/**
 * Cluster mode's bus (Redis pub/sub on the `commands`/`subscriber` connections of
 * {@link RedisCluster}), in the app layer so the libraries stay single-node:
 * - presence: each node announces its first/last tab of a user (`presence.tabs` from the
 *   directory) and keeps the set in its hash `parley:presence:<node>`; the others apply it to their
 *   `PresenceRegistry` (`UserService.remoteTabs`), which pushes `presence.changed` to their own
 *   tabs. A node's hash and lease expire {@link NODE_LEASE_MS} after its last heartbeat, so a killed
 *   node's users go offline everywhere within about that time;
 * - provider and ICE changes: the node where an admin changed them publishes; the others re-read
 *   the shared rows into memory (no push: the changing node's `providers.changed` and
 *   `admin.changed` already reached every node's tabs through the socket.io Redis adapter).
 */
@Injectable()
export class ClusterSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Cluster');
  private readonly subscriptions: Subscription[] = [];
  /** What this node announced of its users (rewritten to Redis after a reconnect). */
  private readonly announced = new Map<string, UserSummary>();
  private heartbeat?: NodeJS.Timeout;
  /** Presence writes, in order. */
  private writes: Promise<unknown> = Promise.resolve();
  private started = false;

  constructor(
    @Inject(REDIS_CLUSTER) private readonly cluster: RedisCluster,
    private readonly moduleRef: ModuleRef,
  ) {}

  private get<T>(type: abstract new (...args: never[]) => T): T {
    return this.moduleRef.get(type, { strict: false });
  }

  async onApplicationBootstrap(): Promise<void> {
    const { subscriber, commands } = this.cluster;
    subscriber.on('message', (channel: string, text: string) => {
      if (channel !== CLUSTER_KEYS.bus) return;
      let message: ClusterMessage;
      try {
        message = JSON.parse(text) as ClusterMessage;
      } catch {
        return;
      }
      if (message.node !== this.cluster.nodeId) void this.receive(message);
    });
    await subscriber.subscribe(CLUSTER_KEYS.bus);

    const registry = this.get(PresenceRegistry);
    this.subscriptions.push(
      this.get(DirectoryEvents).events$.subscribe((event) => {
        if (event.type !== 'presence.tabs') return;
        // What this node has now (events of a quick connect/close may come in any order).
        const online = registry.isOnlineHere(event.user.id);
        if (online) this.announced.set(event.user.id, event.user);
        else this.announced.delete(event.user.id);
        this.write(async () => {
          const key = CLUSTER_KEYS.presence(this.cluster.nodeId);
          const multi = commands.multi();
          if (online) multi.hset(key, event.user.id, JSON.stringify(event.user));
          else multi.hdel(key, event.user.id);
          multi.pexpire(key, NODE_LEASE_MS);
          await multi.exec();
          await this.publish({ kind: 'tabs', node: this.cluster.nodeId, user: event.user, online });
        });
      }),
      this.get(ConferencingEvents).events$.subscribe((event) => {
        void this.publish({
          kind: event.type === 'ice.changed' ? 'ice' : 'providers',
          node: this.cluster.nodeId,
        });
      }),
    );

    await this.resync();
    // After a Redis outage: rewrite what this node has, re-read the others.
    commands.on('ready', () => {
      if (this.started) void this.resync().catch((error: unknown) => this.warn('resync', error));
    });
    // The bus may come back after the others' `node.synced` (and miss `tabs` sent meanwhile): once
    // it listens again, read every node's hash, so nothing announced during the gap is lost.
    subscriber.on('ready', () => {
      if (!this.started) return;
      void subscriber
        .subscribe(CLUSTER_KEYS.bus)
        .then(() => this.readOthers())
        .catch((error: unknown) => this.warn('re-reading the other nodes', error));
    });
    this.heartbeat = setInterval(
      () => void this.beat().catch((error: unknown) => this.warn('heartbeat', error)),
      HEARTBEAT_MS,
    );
    this.started = true;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    this.subscriptions.forEach((subscription) => subscription.unsubscribe());
    const { commands, nodeId } = this.cluster;
    try {
      await this.writes;
      await commands.del(CLUSTER_KEYS.node(nodeId), CLUSTER_KEYS.presence(nodeId));
      await this.publish({ kind: 'node.gone', node: nodeId });
    } catch (error) {
      this.warn('leaving the cluster', error);
    }
    await this.cluster.close();
  }

  private write(task: () => Promise<unknown>): void {
    this.writes = this.writes.then(task).catch((error: unknown) => this.warn('presence write', error));
  }

  private async publish(message: ClusterMessage): Promise<void> {
    await this.cluster.commands.publish(CLUSTER_KEYS.bus, JSON.stringify(message));
  }

  private async receive(message: ClusterMessage): Promise<void> {
    try {
      switch (message.kind) {
        case 'tabs':
          this.get(UserService).remoteTabs(message.node, message.user, message.online);
          break;
        case 'node.gone':
          this.get(UserService).remoteNode(message.node, []);
          break;
        case 'node.synced':
          await this.readNode(message.node);
          break;
        case 'providers':
          await this.get(ProviderRegistry).reloadFromDatabase();
          break;
        case 'ice':
          await this.get(IceService).reload();
          break;
      }
    } catch (error) {
      this.warn(`applying ${message.kind} from node ${message.node}`, error);
    }
  }

  /** Renews this node's lease and presence hash; drops the nodes whose lease is gone. */
  private async beat(): Promise<void> {
    const { commands, nodeId } = this.cluster;
    const renewed = await commands
      .multi()
      .set(CLUSTER_KEYS.node(nodeId), '1', 'PX', NODE_LEASE_MS)
      .pexpire(CLUSTER_KEYS.presence(nodeId), NODE_LEASE_MS)
      .exec();
    // The hash is gone while this node has users (a resync that failed, or a pause longer than
    // the lease): write it again and tell the others, rather than stay invisible.
    if (renewed?.[1]?.[1] === 0 && this.announced.size > 0) await this.resync();
    const remote = this.get(PresenceRegistry).remoteNodeIds();
    if (remote.length === 0) return;
    const alive = await Promise.all(remote.map((id) => commands.exists(CLUSTER_KEYS.node(id))));
    remote.forEach((id, n) => {
      if (alive[n] === 0) {
        this.logger.warn(
          `Node ${id} is gone (no heartbeat for ${NODE_LEASE_MS / 1000} s): its users' tabs no longer count`,
        );
        this.get(UserService).remoteNode(id, []);
      }
    });
  }

  /** This node's lease and users written again; every other live node's users read. */
  private async resync(): Promise<void> {
    const { commands, nodeId } = this.cluster;
    const key = CLUSTER_KEYS.presence(nodeId);
    const multi = commands.multi().set(CLUSTER_KEYS.node(nodeId), '1', 'PX', NODE_LEASE_MS).del(key);
    for (const [id, user] of this.announced) multi.hset(key, id, JSON.stringify(user));
    await multi.pexpire(key, NODE_LEASE_MS).exec();
    await this.readOthers();
    // Nodes that resynced before this one (after a Redis restart they come back in any order).
    await this.publish({ kind: 'node.synced', node: nodeId });
  }

  /** Every other live node's users read from its hash; nodes without a lease dropped. */
  private async readOthers(): Promise<void> {
    const { commands, nodeId } = this.cluster;
    const nodes = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await commands.scan(cursor, 'MATCH', CLUSTER_KEYS.nodePattern, 'COUNT', 100);
      cursor = next;
      for (const found of keys) nodes.add(found.slice(CLUSTER_KEYS.node('').length));
    } while (cursor !== '0');
    nodes.delete(nodeId);
    const users = this.get(UserService);
    for (const id of this.get(PresenceRegistry).remoteNodeIds()) {
      if (!nodes.has(id)) users.remoteNode(id, []);
    }
    for (const id of nodes) await this.readNode(id);
  }

  /** Another node's users, as its presence hash says. */
  private async readNode(id: string): Promise<void> {
    const hash = await this.cluster.commands.hgetall(CLUSTER_KEYS.presence(id));
    this.get(UserService).remoteNode(
      id,
      Object.values(hash).map((text) => JSON.parse(text) as UserSummary),
    );
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(`Cluster ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
