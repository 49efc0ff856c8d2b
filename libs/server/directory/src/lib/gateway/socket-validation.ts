import { HttpException, HttpStatus } from '@nestjs/common';
import type { SocketError, SocketErrorCode, SocketReply } from '@parley/protocol';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

export class SocketRequestError extends Error {
  constructor(
    readonly code: SocketErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Validates a socket payload with the same DTO classes as REST (whitelist, no extra fields). */
export async function validatePayload<T extends object>(type: new () => T, payload: unknown): Promise<T> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new SocketRequestError('bad_request', 'payload must be an object');
  }
  const instance = plainToInstance(type, payload);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const messages = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new SocketRequestError('bad_request', messages.join('; '));
  }
  return instance;
}

const STATUS_CODES: Partial<Record<number, SocketErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
};

/** Maps any error to a socket error; never lets an exception reach socket.io. */
export function toSocketError(error: unknown): SocketError {
  if (error instanceof SocketRequestError) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof HttpException) {
    const code = STATUS_CODES[error.getStatus()] ?? 'internal';
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String((response as { message: unknown }).message)
        : error.message;
    return { code, message };
  }
  return { code: 'internal', message: 'Internal error' };
}

export async function reply<T>(
  work: () => Promise<T>,
  onInternal?: (error: unknown) => void,
): Promise<SocketReply<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    const socketError = toSocketError(error);
    if (socketError.code === 'internal') {
      onInternal?.(error);
    }
    return { ok: false, error: socketError };
  }
}
