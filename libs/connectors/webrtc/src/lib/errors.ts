import type { Logger } from '@nestjs/common';
import type { SocketErrorCode, SocketReply } from '@parley/protocol';

/** A refused `webrtc.*` request. */
export class WebrtcError extends Error {
  constructor(
    readonly code: SocketErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a request; every error becomes `{ ok: false, error }` and the socket stays up. */
export async function webrtcReply<T>(work: () => T | Promise<T>, logger: Logger): Promise<SocketReply<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    if (error instanceof WebrtcError)
      return { ok: false, error: { code: error.code, message: error.message } };
    logger.error(
      `webrtc request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return { ok: false, error: { code: 'internal', message: 'Internal error' } };
  }
}
