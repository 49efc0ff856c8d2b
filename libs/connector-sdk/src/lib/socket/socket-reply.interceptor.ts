import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import type { SocketReply } from '@parley/protocol';
import { catchError, map, type Observable, of } from 'rxjs';
import { toSocketErrorReply } from './socket-error';

/**
 * The one place a socket request's outcome becomes its acknowledgement: a handler's return value
 * is sent as `{ ok: true, data }`, a thrown error (from the handler, a pipe, a parameter decorator
 * or a method interceptor) as `{ ok: false, error }`. Internal errors are logged with their stack
 * and answered `internal`, so no exception ever reaches socket.io and the connection stays up.
 */
@Injectable()
export class SocketReplyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('SocketEdge');

  intercept(context: ExecutionContext, next: CallHandler<unknown>): Observable<SocketReply<unknown>> {
    return next.handle().pipe(
      // A handler with nothing to say (`void`) still acknowledges: `{ ok: true, data: {} }`.
      map((data): SocketReply<unknown> => ({ ok: true, data: data === undefined ? {} : data })),
      catchError((error: unknown) => {
        const reply = toSocketErrorReply(error);
        if (reply.code === 'internal') {
          const event =
            context.getType() === 'ws' ? context.switchToWs().getPattern() : context.getHandler().name;
          const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
          this.logger.error(`Socket request ${event} failed: ${detail}`);
        }
        return of<SocketReply<unknown>>({ ok: false, error: reply });
      }),
    );
  }
}
