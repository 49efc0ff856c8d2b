import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import {
  DEFAULT_LOGIN_MAX_ATTEMPTS,
  DEFAULT_LOGIN_WINDOW_SECONDS,
  DEFAULT_PORTAL_TOKEN_MAX_ATTEMPTS,
  DIRECTORY_OPTIONS,
  type DirectoryModuleOptions,
} from '../directory.options';

/**
 * Where sign-in attempts are counted: `@nestjs/throttler`'s storage contract, so a shared store
 * (e.g. a Redis `ThrottlerStorage`) can replace the in-memory `ThrottlerStorageService` of one node
 * by providing this token.
 */
export const LOGIN_THROTTLE_STORAGE = Symbol('LOGIN_THROTTLE_STORAGE');

const THROTTLER_NAME = 'login';

/** A sign-in refused for too many attempts: 429, with the seconds to wait (`Retry-After`). */
export class TooManyAttemptsException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    what = 'sign-in attempts for this account',
  ) {
    super(
      `Too many ${what} from your address: try again in ${retryAfterSeconds} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Limits sign-in attempts per username and client IP: at most `loginMaxAttempts` in
 * `loginWindowSeconds` (every attempt counts, right or wrong); past that, every attempt of that
 * pair is refused until the window has passed since the refusal began, the right password too.
 * Single sign-on exchanges (`POST /api/auth/portal-token`) carry no username, so they are counted
 * per client IP against their own, larger limit (`portalTokenMaxAttempts`): a portal's users often
 * reach Parley from one address (a proxy, a NAT).
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);
  private readonly limit: number;
  private readonly portalLimit: number;
  private readonly windowMs: number;

  constructor(
    @Inject(LOGIN_THROTTLE_STORAGE) private readonly storage: ThrottlerStorage,
    @Inject(DIRECTORY_OPTIONS) options: DirectoryModuleOptions,
  ) {
    this.limit = options.loginMaxAttempts ?? DEFAULT_LOGIN_MAX_ATTEMPTS;
    this.portalLimit = options.portalTokenMaxAttempts ?? DEFAULT_PORTAL_TOKEN_MAX_ATTEMPTS;
    this.windowMs = (options.loginWindowSeconds ?? DEFAULT_LOGIN_WINDOW_SECONDS) * 1000;
  }

  /** Counts one attempt; throws {@link TooManyAttemptsException} when the pair is over its limit. */
  async attempt(username: string, ip: string): Promise<void> {
    await this.count(`login:${username.toLowerCase()}:${ip}`, this.limit, { username, ip });
  }

  /** Counts one portal-token exchange from `ip` (429 past `portalTokenMaxAttempts` a window). */
  async portalAttempt(ip: string): Promise<void> {
    await this.count(`portal-token:${ip}`, this.portalLimit, { ip }, 'single sign-on attempts');
  }

  private async count(
    key: string,
    limit: number,
    who: { username?: string; ip: string },
    what?: string,
  ): Promise<void> {
    const record = await this.storage.increment(key, this.windowMs, limit, this.windowMs, THROTTLER_NAME);
    if (record.isBlocked) {
      const retryAfter = Math.max(1, record.timeToBlockExpire);
      this.logger.warn(
        {
          event: 'auth.login_throttled',
          ...who,
          kind: what ? 'portal_token' : 'password',
          attempts: record.totalHits,
          retryAfterSeconds: retryAfter,
        },
        `Sign-in refused: too many attempts${who.username === undefined ? '' : ` for ${JSON.stringify(who.username)}`} from ${who.ip}`,
      );
      throw new TooManyAttemptsException(retryAfter, what);
    }
  }
}
