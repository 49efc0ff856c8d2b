import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DirectoryEvents, type FailedSignIn } from '@parley/server-directory';
import type { Subscription } from 'rxjs';
import { AuditService } from './audit.service';

/** The action of a failed sign-in in the admin audit log. */
export const SIGN_IN_FAILED = 'auth.sign_in_failed';

/**
 * Rows one node writes per minute at most: throttling is per username and address, so a guesser
 * cycling through usernames would otherwise grow the table without bound. Past the cap the
 * failures are counted and the next row written says how many were left out (`notRecorded`).
 */
export const SIGN_IN_AUDIT_PER_MINUTE = 60;

/**
 * Writes each failed sign-in the directory announces into the admin audit log (`audit_log`), so
 * admins see guessing on the admin page: who was tried (no actor: nobody signed in), from where,
 * and why it failed. Never the password or the token. Sign-in throttling bounds how many rows one
 * username and address can add (`docs/operations.md`, "Sign-in throttling").
 */
@Injectable()
export class SignInAudit implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SignInAudit.name);
  private subscription?: Subscription;
  private windowStart = 0;
  private writtenInWindow = 0;
  private notRecorded = 0;

  constructor(
    private readonly events: DirectoryEvents,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.events$.subscribe((event) => {
      if (event.type === 'auth.sign_in_failed') void this.record(event.attempt);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private async record(attempt: FailedSignIn, now = Date.now()): Promise<void> {
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.writtenInWindow = 0;
    }
    if (this.writtenInWindow >= SIGN_IN_AUDIT_PER_MINUTE) {
      this.notRecorded++;
      return;
    }
    this.writtenInWindow++;
    const notRecorded = this.notRecorded;
    this.notRecorded = 0;
    try {
      await this.audit.record(
        { id: '', displayName: '(not signed in)' },
        SIGN_IN_FAILED,
        attempt.kind === 'password' ? `user ${attempt.username ?? ''}` : 'portal token',
        {
          kind: attempt.kind,
          username: attempt.username,
          ip: attempt.ip,
          reason: attempt.reason,
          ...(notRecorded > 0 ? { notRecorded } : {}),
        },
      );
    } catch (error) {
      this.logger.warn(`Could not audit a failed sign-in: ${(error as Error).message}`);
    }
  }
}
