import type { ClaimConflict, SharedCallIndex } from '@parley/server-calls';
import { SocketError } from '@parley/connector-sdk';
import { createHash } from 'node:crypto';
import { CLUSTER_KEYS, type RedisCluster } from './redis-cluster';

/**
 * Shared by the scripts: a call is live when its host node is (its lease exists). A binding to a
 * call whose node died is stale and may be taken over: nobody stays "busy" for ever.
 */
const ALIVE = `
local function alive(callId)
  local node = redis.call('GET', '${CLUSTER_KEYS.call('')}' .. callId)
  if not node then return false end
  return redis.call('EXISTS', '${CLUSTER_KEYS.node('')}' .. node) == 1
end
`;

/**
 * ARGV: callId, nodeId, roomId ('' for none), userIds…  Binds them all, or returns what is in the
 * way ('room:<callId>' or 'user:<userId>') and binds nothing.
 */
const CLAIM = `${ALIVE}
local callId, node, roomId = ARGV[1], ARGV[2], ARGV[3]
if roomId ~= '' then
  local other = redis.call('GET', '${CLUSTER_KEYS.roomCall('')}' .. roomId)
  if other and other ~= callId and alive(other) then return 'room:' .. other end
end
for i = 4, #ARGV do
  local other = redis.call('GET', '${CLUSTER_KEYS.userCall('')}' .. ARGV[i])
  if other and other ~= callId and alive(other) then return 'user:' .. ARGV[i] end
end
redis.call('SET', '${CLUSTER_KEYS.call('')}' .. callId, node)
redis.call('SADD', '${CLUSTER_KEYS.nodeCalls('')}' .. node, callId)
if roomId ~= '' then redis.call('SET', '${CLUSTER_KEYS.roomCall('')}' .. roomId, callId) end
for i = 4, #ARGV do redis.call('SET', '${CLUSTER_KEYS.userCall('')}' .. ARGV[i], callId) end
return false
`;

/** ARGV: callId, nodeId, roomId ('' for none), retentionMs, userIds…  Frees what is still bound to the call. */
const END = `
local callId, node, roomId, retention = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
for i = 5, #ARGV do
  local key = '${CLUSTER_KEYS.userCall('')}' .. ARGV[i]
  if redis.call('GET', key) == callId then redis.call('DEL', key) end
end
if roomId ~= '' then
  local key = '${CLUSTER_KEYS.roomCall('')}' .. roomId
  if redis.call('GET', key) == callId then redis.call('DEL', key) end
end
redis.call('SREM', '${CLUSTER_KEYS.nodeCalls('')}' .. node, callId)
redis.call('SET', '${CLUSTER_KEYS.call('')}' .. callId, node, 'PX', retention)
return 1
`;

/** ARGV: callId, userId.  Unbinds the user if still bound to that call. */
const RELEASE = `
local key = '${CLUSTER_KEYS.userCall('')}' .. ARGV[2]
if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
return 1
`;

/**
 * ARGV: kind ('call' | 'user' | 'room'), id.  The node hosting the call (by its id, the user's
 * call, the room's call) when that node is alive, else nothing.
 */
const ROUTE = `${ALIVE}
local kind, id = ARGV[1], ARGV[2]
local callId = id
if kind == 'user' then callId = redis.call('GET', '${CLUSTER_KEYS.userCall('')}' .. id)
elseif kind == 'room' then callId = redis.call('GET', '${CLUSTER_KEYS.roomCall('')}' .. id) end
if not callId then return false end
if not alive(callId) then return false end
return redis.call('GET', '${CLUSTER_KEYS.call('')}' .. callId)
`;

/** ARGV: callId.  1 when a live node hosts the call. */
const IS_ALIVE = `${ALIVE}
if alive(ARGV[1]) then return 1 end
return 0
`;

/** ARGV: deadNodeId.  The ids of the calls a dead node hosted; its set is removed (so only one caller gets them). */
const RELEASE_NODE = `
local key = '${CLUSTER_KEYS.nodeCalls('')}' .. ARGV[1]
local ids = redis.call('SMEMBERS', key)
redis.call('DEL', key)
return ids
`;

export type RouteKind = 'call' | 'user' | 'room';

/**
 * {@link SharedCallIndex} in Redis: each check-and-bind is one Lua script (atomic on the server),
 * so two nodes placing calls to the same user at once cannot both win. Write-throughs (join,
 * leave, end) go out in order without the call path waiting on them.
 */
export class RedisCallIndex implements SharedCallIndex {
  private writes: Promise<unknown> = Promise.resolve();
  private readonly shas = new Map<string, string>();

  constructor(
    private readonly cluster: RedisCluster,
    private readonly log: { warn(message: string): void },
  ) {}

  async claim(callId: string, userIds: string[], roomId: string | null): Promise<ClaimConflict | null> {
    this.requireRedis();
    // In line with the writes: a leave still on its way must not make the user look busy.
    const claimed = this.writes.then(
      () =>
        this.script(CLAIM, callId, this.cluster.nodeId, roomId ?? '', ...userIds) as Promise<string | null>,
    );
    this.writes = claimed.catch(() => undefined);
    const found = await claimed;
    if (!found) return null;
    const [kind, id] = [found.slice(0, found.indexOf(':')), found.slice(found.indexOf(':') + 1)];
    return kind === 'room' ? { kind: 'room', callId: id } : { kind: 'user', userId: id };
  }

  bound(callId: string, userId: string): void {
    this.write(() => this.cluster.commands.set(CLUSTER_KEYS.userCall(userId), callId));
  }

  released(callId: string, userId: string): void {
    this.write(() => this.script(RELEASE, callId, userId));
  }

  ended(callId: string, userIds: string[], roomId: string | null, retentionMs: number): void {
    this.write(() =>
      this.script(END, callId, this.cluster.nodeId, roomId ?? '', String(retentionMs), ...userIds),
    );
  }

  /** The node hosting the call (by id, or the user's or the room's call), when it is alive. */
  async route(kind: RouteKind, id: string): Promise<string | null> {
    this.requireRedis();
    return (await this.script(ROUTE, kind, id)) as string | null;
  }

  async alive(callId: string): Promise<boolean> {
    return (await this.script(IS_ALIVE, callId)) === 1;
  }

  /**
   * Takes the calls a dead node hosted out of the index (users and rooms bound to them are stale
   * already: {@link claim} treats them as free). Answers their ids, once: a second caller gets none.
   */
  async takeCallsOf(nodeId: string): Promise<string[]> {
    return (await this.script(RELEASE_NODE, nodeId)) as string[];
  }

  /** The nodes that have hosted calls (live or dead), from their call sets. */
  async nodesWithCalls(): Promise<string[]> {
    const prefix = CLUSTER_KEYS.nodeCalls('');
    const nodes: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.cluster.commands.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100);
      cursor = next;
      nodes.push(...keys.map((key) => key.slice(prefix.length)));
    } while (cursor !== '0');
    return nodes;
  }

  /** Whether the node's lease is alive. */
  async nodeAlive(nodeId: string): Promise<boolean> {
    return (await this.cluster.commands.exists(CLUSTER_KEYS.node(nodeId))) === 1;
  }

  /** Every write so far has reached Redis (or failed and was logged). */
  flushed(): Promise<unknown> {
    return this.writes;
  }

  /**
   * The call path does not wait for Redis to come back (its client would queue the command until
   * then): a request that needs the index is refused at once, and the user can try again.
   */
  private requireRedis(): void {
    if (this.cluster.commands.status !== 'ready') {
      throw new SocketError('unavailable', 'The cluster is unreachable: try again in a moment');
    }
  }

  /** Runs a script by its SHA-1 (EVALSHA: the text is sent only the first time, or after a Redis restart). */
  private async script(lua: string, ...args: string[]): Promise<unknown> {
    let sha = this.shas.get(lua);
    if (!sha) {
      sha = createHash('sha1').update(lua).digest('hex');
      this.shas.set(lua, sha);
    }
    try {
      return await this.cluster.commands.evalsha(sha, 0, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.cluster.commands.eval(lua, 0, ...args);
    }
  }

  private write(task: () => Promise<unknown>): void {
    this.writes = this.writes
      .then(task)
      .catch((error: unknown) =>
        this.log.warn(`call index write failed: ${error instanceof Error ? error.message : String(error)}`),
      );
  }
}
