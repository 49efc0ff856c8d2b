import { createAdapter } from '@socket.io/redis-adapter';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** How long start-up waits for Redis before refusing to start. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface ClusterLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Keys and channels, all under one prefix (a Redis may serve other applications too). */
export const CLUSTER_KEYS = {
  /** Pub/sub channel of the cluster bus (`ClusterSync`). */
  bus: 'parley:cluster',
  /** A node's lease: exists while the node is alive (`SET … PX`, renewed by its heartbeat). */
  node: (nodeId: string) => `parley:node:${nodeId}`,
  nodePattern: 'parley:node:*',
  /** Hash userId -> UserSummary (JSON, stored presence) of the users with a tab on that node. */
  presence: (nodeId: string) => `parley:presence:${nodeId}`,
  /** The node hosting a call (kept a minute after the call ended, for late requests). */
  call: (callId: string) => `parley:call:${callId}`,
  /** The live call a user is in (ringing, active or joined). */
  userCall: (userId: string) => `parley:user-call:${userId}`,
  /** A room's live group call. */
  roomCall: (roomId: string) => `parley:room-call:${roomId}`,
  /** Set of the live calls a node hosts. */
  nodeCalls: (nodeId: string) => `parley:node-calls:${nodeId}`,
  /** Pub/sub channel of a node's relayed requests and their replies (`CallRelay`). */
  relay: (nodeId: string) => `parley:relay:${nodeId}`,
  /** Prefix of the socket.io Redis adapter's channels. */
  socketIo: 'parley:socket.io',
} as const;

/**
 * Cluster mode's Redis: loaded only when `REDIS_URL` is set (`create-app.ts` imports this file
 * then, and only then). Four connections: commands + publishing, the cluster bus subscription,
 * and the socket.io adapter's own publisher and subscriber. ioredis reconnects by itself (and
 * re-subscribes); a lost connection is logged once per outage.
 */
export class RedisCluster {
  /** This process's id in the cluster: new on every start. */
  readonly nodeId = randomUUID();
  readonly commands: Redis;
  readonly subscriber: Redis;
  private readonly adapterClients: [Redis, Redis];

  private constructor(
    private readonly url: string,
    private readonly log: ClusterLog,
  ) {
    const open = (role: string) => {
      const client = new Redis(url, {
        lazyConnect: true,
        connectionName: `parley:${role}`,
        // Bounded back-off: 0.1 s, 0.2 s, … at most 2 s between attempts, for ever.
        retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
        maxRetriesPerRequest: null,
      });
      let down = false;
      client.on('error', (error: Error) => {
        if (down) return;
        down = true;
        this.log.error(`Redis (${role}) unreachable at ${this.where()}: ${error.message}; retrying`);
      });
      client.on('ready', () => {
        if (!down) return;
        down = false;
        this.log.warn(`Redis (${role}) reconnected at ${this.where()}`);
      });
      return client;
    };
    this.commands = open('commands');
    this.subscriber = open('bus');
    this.adapterClients = [open('socket.io-pub'), open('socket.io-sub')];
  }

  /** Connects every client, or throws (start-up stops) when Redis does not answer in time. */
  static async connect(url: string, log: ClusterLog): Promise<RedisCluster> {
    const cluster = new RedisCluster(url, log);
    const clients = [cluster.commands, cluster.subscriber, ...cluster.adapterClients];
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.all(clients.map((client) => client.connect())),
        new Promise((_, fail) => {
          timer = setTimeout(
            () => fail(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)),
            CONNECT_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      clients.forEach((client) => client.disconnect());
      throw new Error(
        `REDIS_URL: cannot reach Redis at ${cluster.where()}: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      clearTimeout(timer);
    }
    log.info(`Cluster mode: node ${cluster.nodeId}, Redis at ${cluster.where()}`);
    return cluster;
  }

  /** The socket.io adapter: pushes to a room, a user's channel or everyone reach every node. */
  socketAdapter(): ReturnType<typeof createAdapter> {
    const [pub, sub] = this.adapterClients;
    return createAdapter(pub, sub, { key: CLUSTER_KEYS.socketIo });
  }

  /** The URL without its password, for log lines. */
  where(): string {
    const url = new URL(this.url);
    if (url.password) url.password = '***';
    return url.toString();
  }

  async close(): Promise<void> {
    const clients = [this.commands, this.subscriber, ...this.adapterClients];
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}
