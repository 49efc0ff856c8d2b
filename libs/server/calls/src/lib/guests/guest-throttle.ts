import { HttpException, HttpStatus, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';

/** Per client address: link pages looked up, and guest sessions opened, in {@link GUEST_WINDOW_MS}. */
export const GUEST_LIMITS = { lookup: 60, join: 10 } as const;
export const GUEST_WINDOW_MS = 10 * 60_000;

/** Too many guest requests from one address: 429 with the seconds to wait. */
export class TooManyGuestRequests extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      `Too many guest requests from your address: try again in ${retryAfterSeconds} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * The rate limit of the public guest routes (link lookups cannot be used to probe tokens in bulk,
 * nor joins to flood a lobby): `@nestjs/throttler`'s storage, as the sign-in throttle uses.
 */
@Injectable()
export class GuestThrottle implements OnModuleDestroy {
  private readonly storage = new ThrottlerStorageService();

  onModuleDestroy(): void {
    this.storage.onApplicationShutdown();
  }

  /** Counts one request of `kind` from `ip`; throws {@link TooManyGuestRequests} past its limit. */
  async attempt(kind: keyof typeof GUEST_LIMITS, ip: string): Promise<void> {
    const limit = GUEST_LIMITS[kind];
    const record = await this.storage.increment(
      `guest:${kind}:${ip}`,
      GUEST_WINDOW_MS,
      limit,
      GUEST_WINDOW_MS,
      'guest',
    );
    if (record.isBlocked) throw new TooManyGuestRequests(Math.max(1, record.timeToBlockExpire));
  }
}
