import { HttpException, HttpStatus, type Logger } from '@nestjs/common';
import type { SocketError, SocketErrorCode, SocketReply } from '@parley/protocol';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CallError } from '../call-machine';

/**
 * Validates a socket payload with a DTO class (whitelist, no extra fields, nested objects).
 * Throws a `bad_request` {@link CallError} saying what is wrong.
 */
export async function validatePayload<T extends object>(type: new () => T, payload: unknown): Promise<T> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new CallError('bad_request', 'payload must be an object');
  }
  const instance = plainToInstance(type, payload);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const messages: string[] = [];
    const walk = (list: typeof errors, prefix: string) => {
      for (const error of list) {
        messages.push(...Object.values(error.constraints ?? {}).map((m) => (prefix ? `${prefix}.${m}` : m)));
        if (error.children?.length)
          walk(error.children, prefix ? `${prefix}.${error.property}` : error.property);
      }
    };
    walk(errors, '');
    throw new CallError('bad_request', messages.join('; ') || 'invalid payload');
  }
  return instance;
}

const STATUS_CODES: Partial<Record<number, SocketErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.CONFLICT]: 'conflict',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'unavailable',
};

export function toSocketError(error: unknown): SocketError {
  if (error instanceof CallError) return { code: error.code, message: error.message };
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

/** Runs a request; any error becomes `{ ok: false, error }` (internal ones are logged). */
export async function reply<T>(work: () => T | Promise<T>, logger: Logger): Promise<SocketReply<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    const socketError = toSocketError(error);
    if (socketError.code === 'internal' && !(error instanceof CallError)) {
      logger.error(
        `Socket request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    return { ok: false, error: socketError };
  }
}
