import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { ProviderDescriptor } from '@parley/protocol';
import { ApiClient } from './api-client';
import { RealtimeService } from './realtime.service';
import { SessionService } from './session.service';

/**
 * The call providers the signed-in user may use (active, configured, loaded), in the admins'
 * order: `GET /api/providers` once, then every `providers.changed` push replaces the list, live.
 * After a reconnection the list is fetched again (a push may have been missed while offline).
 */
@Injectable({ providedIn: 'root' })
export class ProvidersStore {
  private readonly api = inject(ApiClient);
  private readonly realtime = inject(RealtimeService);
  private readonly session = inject(SessionService);
  private readonly providersSignal = signal<readonly ProviderDescriptor[]>([]);
  private readonly loadedSignal = signal(false);
  private loading: Promise<void> | null = null;
  /** Bumped by every push: a fetch that started before a push must not overwrite it. */
  private generation = 0;

  /** Usable providers, first = default choice. */
  readonly providers = this.providersSignal.asReadonly();
  /** Whether the list has been received at least once since sign-in. */
  readonly loaded = this.loadedSignal.asReadonly();

  constructor() {
    const subs = [
      this.session.signedOut$.subscribe(() => this.reset()),
      this.realtime.events('providers.changed').subscribe((event) => {
        this.generation++;
        this.apply(event.providers);
      }),
      this.realtime.connected$.subscribe(() => {
        if (this.loadedSignal()) void this.load(true).catch(() => undefined);
      }),
    ];
    inject(DestroyRef).onDestroy(() => subs.forEach((s) => s.unsubscribe()));
  }

  /** Fetches the list (once, unless `force`). */
  load(force = false): Promise<void> {
    if (!force && this.loadedSignal()) return Promise.resolve();
    if (this.loading) return this.loading;
    const generation = this.generation;
    this.loading = this.api
      .providers()
      .then((providers) => {
        if (generation === this.generation) this.apply(providers);
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }

  reset(): void {
    this.generation++;
    this.providersSignal.set([]);
    this.loadedSignal.set(false);
  }

  private apply(providers: readonly ProviderDescriptor[]): void {
    this.providersSignal.set([...providers].sort((a, b) => a.order - b.order));
    this.loadedSignal.set(true);
  }
}
