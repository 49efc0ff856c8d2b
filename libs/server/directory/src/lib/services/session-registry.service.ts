import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import { SessionRepository } from '../repositories';
import { newId, nowIso } from '../util/time';

/** How long this node trusts a live session it has looked up before asking the database again. */
export const SESSION_RECHECK_MS = 30_000;
/** Above this many cached sessions, expired and stale entries are dropped. */
const CACHE_SWEEP_SIZE = 10_000;

interface CachedSession {
  userId: string;
  expiresAt: number;
  revoked: boolean;
  checkedAt: number;
}

/**
 * Server-side sessions (`sessions` table): opened at sign-in, revoked at logout. Checked where a
 * request or a socket handshake is authenticated, never per socket message; the answers are
 * cached in memory: a revoked session stays refused, a live one is asked again after
 * {@link SESSION_RECHECK_MS} (so a logout on another node is seen within that time). Revocations
 * on this node are announced on {@link revoked$} (the socket authentication closes that
 * session's sockets).
 */
@Injectable()
export class SessionRegistry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly cache = new Map<string, CachedSession>();
  private readonly revokedSubject = new Subject<string>();
  /** Session ids revoked on this node. */
  readonly revoked$: Observable<string> = this.revokedSubject.asObservable();

  constructor(private readonly rows: SessionRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.rows.deleteExpired(nowIso());
  }

  onModuleDestroy(): void {
    this.revokedSubject.complete();
  }

  /** Opens a session for the user; answers its id (the token's `sid`). */
  async open(userId: string, expiresAt: Date): Promise<string> {
    const id = newId();
    await this.rows.create({
      id,
      userId,
      createdAt: nowIso(),
      expiresAt: expiresAt.toISOString(),
      revokedAt: null,
    });
    this.remember(id, { userId, expiresAt: expiresAt.getTime(), revoked: false, checkedAt: Date.now() });
    return id;
  }

  /** Whether the session exists for that user, is not revoked and has not expired. */
  async isLive(id: string, userId: string): Promise<boolean> {
    const now = Date.now();
    let entry = this.cache.get(id);
    if (!entry || (!entry.revoked && now - entry.checkedAt > SESSION_RECHECK_MS)) {
      const row = await this.rows.findById(id);
      if (!row) return false;
      entry = {
        userId: row.userId,
        expiresAt: Date.parse(row.expiresAt),
        revoked: row.revokedAt !== null,
        checkedAt: now,
      };
      this.remember(id, entry);
    }
    return !entry.revoked && entry.userId === userId && entry.expiresAt > now;
  }

  /** Revokes the session (idempotent) and announces it. */
  async revoke(id: string): Promise<void> {
    await this.rows.revoke(id, nowIso());
    const entry = this.cache.get(id);
    if (entry) entry.revoked = true;
    this.revokedSubject.next(id);
  }

  private remember(id: string, entry: CachedSession): void {
    if (this.cache.size >= CACHE_SWEEP_SIZE) {
      const now = Date.now();
      for (const [key, cached] of this.cache) {
        if (cached.expiresAt <= now || (!cached.revoked && now - cached.checkedAt > SESSION_RECHECK_MS)) {
          this.cache.delete(key);
        }
      }
    }
    this.cache.set(id, entry);
  }
}
