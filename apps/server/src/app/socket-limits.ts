/**
 * Socket request limits (`docs/operations.md`, "Limits"), counted by rate-limiter-flexible in fixed
 * windows: every request of a tab, every request of a user (all their tabs), and per user the
 * requests that cost others something: a stored chat message (`room.send`), a reaction pushed to a
 * whole call (`call.reaction`). A tab's counts live in this process (a socket lives on one node);
 * a user's are in Redis in cluster mode, so every node counts the same user, and in this process's
 * memory while Redis does not answer. One node never loads a Redis client for it.
 */
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
} from 'rate-limiter-flexible';
import type { AppConfig, RateWindow } from './config';

/** Which limit stopped a request (the `limit` label of `parley_socket_rate_limited_total`). */
export type LimitName = 'socket' | 'user' | 'room.send' | 'call.reaction';

export interface LimitRejection {
  limit: LimitName;
  retryAfterMs: number;
  /** What the user is told (with the wait in seconds). */
  message: string;
}

/** Requests with a budget of their own, per user, and the setting that sizes it. */
const EVENT_LIMITS = { 'room.send': 'chat', 'call.reaction': 'reactions' } as const;
type LimitedEvent = keyof typeof EVENT_LIMITS;

const WHAT: Record<LimitName, string> = {
  socket: 'Too many requests from this tab',
  user: 'Too many requests from your account',
  'room.send': 'Too many chat messages',
  'call.reaction': 'Too many reactions',
};

/** Key prefix of the per-user counters in Redis (cluster mode). */
const REDIS_PREFIX = 'parley:limit';
/** A Redis count slower than this (a dropped connection: the client queues) is made in memory. */
const REDIS_TIMEOUT_MS = 500;

/** What the limits need of a rate-limiter-flexible limiter: resolves, or rejects with a RateLimiterRes. */
interface Limiter {
  consume(key: string): Promise<unknown>;
}

export class SocketLimits {
  private constructor(
    private readonly perSocket: Limiter | null,
    private readonly perUser: Limiter | null,
    private readonly perEvent: Map<string, Limiter>,
  ) {}

  /** The limits of `settings`; per-user counters in `redis` when given (cluster mode). */
  static create(settings: AppConfig['socketLimits'], redis?: Redis): SocketLimits {
    const memory = (name: LimitName, window: RateWindow) =>
      new RateLimiterMemory({ keyPrefix: name, points: window.points, duration: window.seconds });
    const shared = (name: LimitName, window: RateWindow | null): Limiter | null => {
      if (!window) return null;
      if (!redis) return memory(name, window);
      // While Redis is away (the client reconnects and queues) this node counts in its memory
      // instead of holding the socket's requests: at once when the client knows, after
      // REDIS_TIMEOUT_MS when a command was caught by the drop.
      const insurance = memory(name, window);
      return new RLWrapperTimeouts({
        limiter: new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${REDIS_PREFIX}:${name}`,
          points: window.points,
          duration: window.seconds,
          rejectIfRedisNotReady: true,
          insuranceLimiter: insurance,
        }),
        insuranceLimiter: insurance,
        timeoutMs: REDIS_TIMEOUT_MS,
      });
    };
    const perEvent = new Map<string, Limiter>();
    for (const [event, setting] of Object.entries(EVENT_LIMITS) as [LimitedEvent, keyof typeof settings][]) {
      const limiter = shared(event, settings[setting]);
      if (limiter) perEvent.set(event, limiter);
    }
    return new SocketLimits(
      settings.socket && memory('socket', settings.socket),
      shared('user', settings.user),
      perEvent,
    );
  }

  /** No limits at all. */
  static none(): SocketLimits {
    return new SocketLimits(null, null, new Map());
  }

  /** Counts one request of the tab; a rejection when the tab is past its limit. */
  checkSocket(socketId: string): Promise<LimitRejection | null> {
    return consume(this.perSocket, 'socket', socketId);
  }

  /** Counts one `event` request of the user (and its own budget, if it has one). */
  async checkUser(userId: string, event: string): Promise<LimitRejection | null> {
    return (await consume(this.perUser, 'user', userId)) ?? this.checkEvent(userId, event);
  }

  /** Counts `event` against the user's own budget for it only (the same action over REST). */
  checkEvent(userId: string, event: string): Promise<LimitRejection | null> {
    return consume(this.perEvent.get(event) ?? null, event as LimitedEvent, userId);
  }
}

async function consume(
  limiter: Limiter | null,
  limit: LimitName,
  key: string,
): Promise<LimitRejection | null> {
  if (!limiter) return null;
  try {
    await limiter.consume(key);
    return null;
  } catch (refusal) {
    // Anything but a refusal (a store error with no insurance left) lets the request through.
    if (!(refusal instanceof RateLimiterRes)) return null;
    const retryAfterMs = Math.max(1, refusal.msBeforeNext);
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return { limit, retryAfterMs, message: `${WHAT[limit]}: try again in ${seconds} s` };
  }
}
