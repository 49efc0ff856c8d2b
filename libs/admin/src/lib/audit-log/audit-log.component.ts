import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { AuditEntry } from '@parley/protocol';
import { AdminApi } from '../api/admin-api.service';
import { showingErrors } from '../shared/admin-ui';

const PAGE_SIZE = 50;

/** Who changed what and when, newest first (secrets appear as `[redacted]`). */
@Component({
  selector: 'parley-audit-log',
  imports: [DatePipe],
  templateUrl: './audit-log.component.html',
  styleUrl: './audit-log.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogComponent {
  private readonly api = inject(AdminApi);

  protected readonly entries = signal<readonly AuditEntry[]>([]);
  protected readonly more = signal(false);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    void this.load();
  }

  async load(older = false): Promise<void> {
    this.loading.set(true);
    await showingErrors(this.error, async () => {
      const current = this.entries();
      const before = older ? current[current.length - 1]?.at : undefined;
      const page = await this.api.audit({ limit: PAGE_SIZE, ...(before ? { before } : {}) });
      this.entries.set(older ? [...current, ...page] : page);
      this.more.set(page.length === PAGE_SIZE);
    });
    this.loading.set(false);
  }

  protected details(entry: AuditEntry): string {
    return Object.entries(entry.details)
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' · ');
  }
}
