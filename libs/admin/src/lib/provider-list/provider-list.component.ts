import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import type { AdminProvider, ConnectorLoadError } from '@parley/protocol';
import { ADMIN_CHANGES, AdminApi, AdminApiError } from '../api/admin-api.service';
import { ProviderCardComponent } from '../provider-card/provider-card.component';

/** Every provider (in the admins' order) and the plug-in packages that failed to load. */
@Component({
  selector: 'parley-provider-list',
  imports: [ProviderCardComponent],
  templateUrl: './provider-list.component.html',
  styleUrl: './provider-list.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProviderListComponent {
  private readonly api = inject(AdminApi);

  protected readonly providers = signal<readonly AdminProvider[]>([]);
  protected readonly loadErrors = signal<readonly ConnectorLoadError[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);

  constructor() {
    void this.load();
    const sub = inject(ADMIN_CHANGES).subscribe((change) => {
      if (change.area === 'providers') void this.load();
    });
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
  }

  async load(): Promise<void> {
    try {
      const response = await this.api.providers();
      this.providers.set(response.providers);
      this.loadErrors.set(response.loadErrors);
      this.error.set(null);
    } catch (err) {
      this.error.set(AdminApiError.from(err).message);
    } finally {
      this.loading.set(false);
    }
  }

  protected replace(updated: AdminProvider): void {
    this.providers.update((list) => list.map((p) => (p.type === updated.type ? updated : p)));
  }

  protected async move(index: number, delta: -1 | 1): Promise<void> {
    const order = this.providers().map((p) => p.type);
    const target = index + delta;
    if (target < 0 || target >= order.length) return;
    [order[index], order[target]] = [order[target] as string, order[index] as string];
    try {
      const response = await this.api.reorderProviders(order);
      this.providers.set(response.providers);
      this.loadErrors.set(response.loadErrors);
    } catch (err) {
      this.error.set(AdminApiError.from(err).message);
    }
  }
}
