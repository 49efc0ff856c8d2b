import { HttpException, HttpStatus } from '@nestjs/common';
import type { SocketError as SocketErrorReply, SocketErrorCode } from '@parley/protocol';

/**
 * A refused socket request: the socket edge ({@link SocketReplyInterceptor}) answers
 * `{ ok: false, error: { code, message } }` and the socket stays up. Throw it from a handler or a
 * service with a message the user can act on; any other error becomes `internal` (logged, and its
 * message never leaves the server).
 */
export class SocketError extends Error implements SocketErrorReply {
  constructor(
    readonly code: SocketErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SocketError';
  }
}

/** How much of a client's input an error message may quote (a field name, an id). */
export const MAX_QUOTED_INPUT = 40;
/** The longest error message a client gets; longer ones are cut (a service quoting too much). */
export const MAX_ERROR_MESSAGE = 500;

/** `text`, or its first `max` characters and `…` (quote client input with this). */
export function clipInput(text: string, max = MAX_QUOTED_INPUT): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const STATUS_CODES: Partial<Record<number, SocketErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.CONFLICT]: 'conflict',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'unavailable',
};

/**
 * What the client is told about an error. A {@link SocketError} and Nest's `HttpException`s
 * (services shared with REST throw those) keep their code and message; anything else is
 * `internal` with a fixed message. Every message is cut at {@link MAX_ERROR_MESSAGE} characters.
 */
export function toSocketErrorReply(error: unknown): SocketErrorReply {
  const reply = errorReplyOf(error);
  return { ...reply, message: clipInput(reply.message, MAX_ERROR_MESSAGE) };
}

function errorReplyOf(error: unknown): SocketErrorReply {
  if (error instanceof SocketError) return { code: error.code, message: error.message };
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String((response as { message: unknown }).message)
        : error.message;
    return { code: STATUS_CODES[error.getStatus()] ?? 'internal', message };
  }
  return { code: 'internal', message: 'Internal error' };
}
