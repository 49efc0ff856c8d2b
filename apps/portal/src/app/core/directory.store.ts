import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { Presence, UserProfile, UserSummary } from '@parley/protocol';
import { ApiClient } from './api-client';
import { RealtimeService } from './realtime.service';
import { SessionService } from './session.service';

/** The users of the directory, with live presence (`presence.changed`). */
@Injectable({ providedIn: 'root' })
export class DirectoryStore {
  private readonly api = inject(ApiClient);
  private readonly realtime = inject(RealtimeService);
  private readonly session = inject(SessionService);
  private readonly usersSignal = signal<ReadonlyMap<string, UserSummary>>(new Map());
  private readonly profiles = new Map<string, Promise<UserProfile>>();
  private loading: Promise<void> | null = null;
  private loaded = false;

  /** Every known user by id. */
  readonly users = this.usersSignal.asReadonly();

  constructor() {
    const subs = [
      this.session.signedOut$.subscribe(() => this.reset()),
      this.realtime.events('presence.changed').subscribe((user) => this.upsert(user)),
      // Presence may have changed while the socket was down.
      this.realtime.connected$.subscribe(() => {
        if (this.loaded) void this.load(true);
      }),
    ];
    inject(DestroyRef).onDestroy(() => subs.forEach((s) => s.unsubscribe()));
  }

  load(force = false): Promise<void> {
    if (!force && this.loaded) return Promise.resolve();
    this.loading ??= this.api
      .users()
      .then((users) => {
        const next = new Map(this.usersSignal());
        for (const user of users) next.set(user.id, user);
        this.usersSignal.set(next);
        this.loaded = true;
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }

  reset(): void {
    this.usersSignal.set(new Map());
    this.profiles.clear();
    this.loaded = false;
  }

  user(id: string): UserSummary | undefined {
    return this.usersSignal().get(id);
  }

  presenceOf(id: string): Presence {
    return this.usersSignal().get(id)?.presence ?? 'offline';
  }

  /** The full profile (title, email, groups), cached per page load; presence stays live via {@link user}. */
  profile(id: string): Promise<UserProfile> {
    let pending = this.profiles.get(id);
    if (!pending) {
      pending = this.api.user(id).then((profile) => {
        this.upsert(profile);
        return profile;
      });
      pending.catch(() => this.profiles.delete(id));
      this.profiles.set(id, pending);
    }
    return pending;
  }

  upsert(user: UserSummary): void {
    const summary: UserSummary = {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      avatarUrl: user.avatarUrl,
      presence: user.presence,
    };
    const next = new Map(this.usersSignal());
    next.set(user.id, summary);
    this.usersSignal.set(next);
    this.session.applySummary(summary);
  }
}
