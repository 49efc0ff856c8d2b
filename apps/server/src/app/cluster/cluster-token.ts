/**
 * The injection token of cluster mode's connected `RedisCluster`, in a file of its own so that
 * code loaded on a single node too (readiness) can ask for it without loading Redis.
 */
export const REDIS_CLUSTER = Symbol('REDIS_CLUSTER');
