import type { ParleySocketData } from '@parley/connector-sdk';
import type { SocketReply } from '@parley/protocol';
import type { Socket } from 'socket.io';
import type { LimitName, LimitRejection, SocketLimits } from './socket-limits';

/** The `event` label of a request whose name no gateway handles (client input: never a label). */
export const UNKNOWN_EVENT = '(unknown)';

/** What the gate tells the metrics. */
export interface SocketGateObserver {
  /** A request the gate answered itself (unknown name or rate limited), as sent. */
  answered(event: string, reply: SocketReply<never>): void;
  rateLimited(event: string, limit: LimitName): void;
}

type Ack = (reply: SocketReply<never>) => void;

/**
 * What every socket request passes before a gateway sees it (socket.io's per-socket middleware, in
 * order): the tab's limit, a request name some gateway handles, the user's limits. A request
 * stopped here is answered at once, never run, and the socket stays connected: `not_found` for an
 * unknown name (the protocol promises every request a `SocketReply`), `rate_limited` with
 * `retryAfterMs` past a limit. `known` is filled by the socket adapter as gateways bind their
 * handlers, which they all do when a socket connects, before its first request is read.
 */
export class SocketGate {
  constructor(
    private readonly limits: SocketLimits,
    private readonly known: ReadonlySet<string>,
    private readonly observer?: SocketGateObserver,
  ) {}

  install(socket: Socket): void {
    // One request at a time per socket: the checks are asynchronous (Redis in cluster mode), and
    // requests must reach the gateways in the order the client sent them.
    let previous = Promise.resolve();
    socket.use((packet, next) => {
      previous = previous.then(() => this.admit(socket, packet, next)).catch(() => undefined);
    });
  }

  private async admit(socket: Socket, packet: unknown[], next: (error?: Error) => void): Promise<void> {
    const name = packet[0];
    const last = packet[packet.length - 1];
    const ack = packet.length > 1 && typeof last === 'function' ? (last as Ack) : undefined;
    const known = typeof name === 'string' && this.known.has(name);
    const event = known ? name : UNKNOWN_EVENT;
    try {
      const tab = await this.limits.checkSocket(socket.id);
      if (tab) return this.refuse(event, ack, tab);
      if (!known) {
        const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 64)) : 'without a name';
        return this.answer(event, ack, {
          ok: false,
          error: { code: 'not_found', message: `Unknown request ${shown}` },
        });
      }
      const userId = (socket.data as Partial<ParleySocketData>).userId;
      const user = userId ? await this.limits.checkUser(userId, event) : null;
      if (user) return this.refuse(event, ack, user);
    } catch {
      // A limiter that fails (it should not: the Redis ones fall back to memory) lets requests in.
    }
    next();
  }

  private refuse(event: string, ack: Ack | undefined, rejection: LimitRejection): void {
    this.observer?.rateLimited(event, rejection.limit);
    this.answer(event, ack, {
      ok: false,
      error: { code: 'rate_limited', message: rejection.message, retryAfterMs: rejection.retryAfterMs },
    });
  }

  private answer(event: string, ack: Ack | undefined, reply: SocketReply<never>): void {
    this.observer?.answered(event, reply);
    ack?.(reply);
  }
}
