import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  type NestInterceptor,
} from '@nestjs/common';
import type { AuthenticatedRequest } from '@parley/server-directory';
import type { Response } from 'express';
import { from, type Observable, switchMap } from 'rxjs';
import type { SocketLimits } from './socket-limits';

/** `POST /api/rooms/:id/messages`: the REST twin of `room.send`. */
const CHAT_POST = /^\/api\/rooms\/[^/]+\/messages\/?$/;

/**
 * The chat budget (`CHAT_MESSAGE_LIMIT`) also on the REST route that posts a message, shared with
 * the socket's `room.send`: past it `429 {"message": "Too many chat messages: try again in N s"}`
 * with `Retry-After`, and nothing is stored. A global interceptor (after the session guard, so the
 * user is known); everything else passes untouched.
 */
export class ChatRestLimit implements NestInterceptor {
  constructor(private readonly limits: SocketLimits) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    if (request.method !== 'POST' || !request.user || !CHAT_POST.test(request.path)) return next.handle();
    return from(this.limits.checkEvent(request.user.id, 'room.send')).pipe(
      switchMap((rejection) => {
        if (!rejection) return next.handle();
        http
          .getResponse<Response>()
          .setHeader('Retry-After', String(Math.ceil(rejection.retryAfterMs / 1000)));
        throw new HttpException(
          { statusCode: HttpStatus.TOO_MANY_REQUESTS, message: rejection.message },
          HttpStatus.TOO_MANY_REQUESTS,
        );
      }),
    );
  }
}
