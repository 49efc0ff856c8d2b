import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { Presence, UserProfile, UserSummary } from '@parley/protocol';
import { Subject } from 'rxjs';
import { ApiClient, ApiRequestError } from './api-client';
import { RealtimeService } from './realtime.service';

/**
 * Who is signed in. The session itself is the httpOnly cookie set by the server; this service
 * only mirrors the user, restores it on page load, and connects/disconnects the realtime socket.
 */
@Injectable({ providedIn: 'root' })
export class SessionService {
  private readonly api = inject(ApiClient);
  private readonly realtime = inject(RealtimeService);
  private readonly router = inject(Router);
  private readonly userSignal = signal<UserProfile | null>(null);
  private restoring: Promise<UserProfile | null> | null = null;
  private readonly signedOutSubject = new Subject<void>();

  /** The signed-in user, or null. */
  readonly user = this.userSignal.asReadonly();
  readonly isAdmin = computed(() => this.userSignal()?.isAdmin === true);
  /** Fires when the session ends (logout or expiry): stores drop what the previous user could see. */
  readonly signedOut$ = this.signedOutSubject.asObservable();

  constructor() {
    this.realtime.unauthorized$.subscribe(() => this.handleUnauthorized());
  }

  /** Resolves the current session once per page load (null when signed out). */
  restore(): Promise<UserProfile | null> {
    if (this.userSignal()) return Promise.resolve(this.userSignal());
    this.restoring ??= this.api.session().then(
      (session) => {
        this.start(session.user);
        return session.user;
      },
      () => null,
    );
    const pending = this.restoring;
    void pending.finally(() => {
      if (this.restoring === pending) this.restoring = null;
    });
    return pending;
  }

  async login(username: string, password: string): Promise<UserProfile> {
    const session = await this.api.login({ username, password });
    this.start(session.user);
    return session.user;
  }

  async logout(): Promise<void> {
    try {
      await this.api.logout();
    } catch (err) {
      // Signed out anyway: the cookie is gone or expired.
      if (!(err instanceof ApiRequestError)) throw err;
    } finally {
      this.end();
      await this.router.navigateByUrl('/login');
    }
  }

  /** Called when the server answers 401: the session has expired or was revoked. */
  handleUnauthorized(): void {
    const wasSignedIn = this.userSignal() !== null;
    this.end();
    const current = this.router.url;
    if (!current.startsWith('/login')) {
      void this.router.navigate(['/login'], {
        queryParams: wasSignedIn && current !== '/' ? { returnUrl: current } : {},
      });
    }
  }

  /** Keeps the signed-in user in step with presence pushes and presence changes. */
  applySummary(summary: UserSummary): void {
    const user = this.userSignal();
    if (user && user.id === summary.id) this.userSignal.set({ ...user, ...summary });
  }

  setLocalPresence(presence: Presence): void {
    const user = this.userSignal();
    if (user) this.userSignal.set({ ...user, presence });
  }

  private start(user: UserProfile): void {
    this.userSignal.set(user);
    this.realtime.connect();
  }

  private end(): void {
    const wasSignedIn = this.userSignal() !== null;
    this.userSignal.set(null);
    this.realtime.disconnect();
    if (wasSignedIn) this.signedOutSubject.next();
  }
}
