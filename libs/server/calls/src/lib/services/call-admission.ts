import { Injectable } from '@nestjs/common';
import { SocketError } from '@parley/connector-sdk';

/** What a refused start answers while the server drains (SIGTERM). */
export const SHUTTING_DOWN_MESSAGE = 'This server is shutting down; try again in a moment';

/**
 * Whether this node takes new calls. Every path that creates a call (one-to-one `start`, a room's
 * group call `start`, which `/call start` and the room link go through) asks {@link requireOpen}
 * first; joining or answering a call that is already live is not a new call and stays allowed.
 * The app's drain closes it for good on SIGTERM.
 */
@Injectable()
export class CallAdmission {
  private refusal: string | null = null;

  get open(): boolean {
    return this.refusal === null;
  }

  /** From now on new calls are refused with `unavailable` and `message`. */
  close(message = SHUTTING_DOWN_MESSAGE): void {
    this.refusal = message;
  }

  /** Throws `unavailable` once {@link close}d. */
  requireOpen(): void {
    if (this.refusal !== null) throw new SocketError('unavailable', this.refusal);
  }
}
