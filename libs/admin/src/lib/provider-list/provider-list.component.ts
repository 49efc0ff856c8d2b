import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { AdminProvider, AdminProvidersResponse, ConnectorLoadError } from '@parley/protocol';
import { AdminApi, AdminApiError } from '../api/admin-api.service';
import { ProviderCardComponent } from '../provider-card/provider-card.component';
import { moved, reloadOnAdminChange, showingErrors } from '../shared/admin-ui';

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
    reloadOnAdminChange('providers', () => this.load());
  }

  async load(): Promise<void> {
    await showingErrors(this.error, async () => this.show(await this.api.providers()));
    this.loading.set(false);
  }

  private show(response: AdminProvidersResponse): void {
    this.providers.set(response.providers);
    this.loadErrors.set(response.loadErrors);
  }

  protected replace(updated: AdminProvider): void {
    this.providers.update((list) => list.map((p) => (p.type === updated.type ? updated : p)));
  }

  protected async move(index: number, delta: -1 | 1): Promise<void> {
    const order = moved(
      this.providers().map((p) => p.type),
      index,
      delta,
    );
    if (!order) return;
    try {
      this.show(await this.api.reorderProviders(order));
    } catch (err) {
      this.error.set(AdminApiError.from(err).message);
    }
  }
}
