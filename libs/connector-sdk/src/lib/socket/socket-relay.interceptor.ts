import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  Optional,
} from '@nestjs/common';
import type { SocketReply } from '@parley/protocol';
import { catchError, from, type Observable, of, switchMap } from 'rxjs';
import type { Socket } from 'socket.io';
import type { ParleySocketData, SocketActor } from './actor.decorator';

/** Injection token of the host's {@link SocketRelay} (only in cluster mode). */
export const SOCKET_RELAY = 'PARLEY_SOCKET_RELAY';

/**
 * The host's relay, when several nodes run: a request about something another node holds (a
 * call and its media) is answered there.
 */
export interface SocketRelay {
  /** The other node's reply to `event`, or null when this node answers it. */
  relay(event: string, payload: unknown, actor: SocketActor): Promise<SocketReply<unknown> | null>;
}

const UNREACHABLE: SocketReply<unknown> = {
  ok: false,
  error: { code: 'unavailable', message: 'The cluster is unreachable: try again' },
};

/**
 * The outer layer of every Parley gateway: hands the request to the host's {@link SocketRelay}
 * when there is one (cluster mode) and answers with its reply; otherwise, and when the relay says
 * "here", the handler runs as usual. On one node (no relay) it costs nothing.
 */
@Injectable()
export class SocketRelayInterceptor implements NestInterceptor {
  constructor(@Optional() @Inject(SOCKET_RELAY) private readonly relay?: SocketRelay) {}

  intercept(context: ExecutionContext, next: CallHandler<unknown>): Observable<unknown> {
    const relay = this.relay;
    if (!relay || context.getType() !== 'ws') return next.handle();
    const ws = context.switchToWs();
    const socket = ws.getClient<Socket>();
    const userId = (socket.data as ParleySocketData | undefined)?.userId;
    if (!userId) return next.handle();
    return from(relay.relay(ws.getPattern(), ws.getData(), { userId, socketId: socket.id })).pipe(
      catchError(() => of(UNREACHABLE)),
      switchMap((reply) => (reply ? of(reply) : next.handle())),
    );
  }
}
