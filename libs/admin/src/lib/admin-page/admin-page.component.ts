import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { AuditLogComponent } from '../audit-log/audit-log.component';
import { GuestSettingsComponent } from '../guests/guest-settings.component';
import { IceServersComponent } from '../ice-servers/ice-servers.component';
import { LiveCallsComponent } from '../live-calls/live-calls.component';
import { ProviderListComponent } from '../provider-list/provider-list.component';
import { RetentionComponent } from '../retention/retention.component';

export type AdminTab = 'providers' | 'ice' | 'calls' | 'retention' | 'guests' | 'audit';

const TABS: readonly { id: AdminTab; label: string }[] = [
  { id: 'providers', label: 'Call providers' },
  { id: 'ice', label: 'ICE servers' },
  { id: 'calls', label: 'Calls' },
  { id: 'retention', label: 'Retention' },
  { id: 'guests', label: 'Guests' },
  { id: 'audit', label: 'Audit log' },
];

/**
 * The Web Conferencing admin page: call providers, ICE servers, live calls, retention, guests, audit log. The host app routes to
 * it for administrators only; the server answers 403 to everyone else on every admin endpoint.
 */
@Component({
  selector: 'parley-admin-page',
  imports: [
    ProviderListComponent,
    IceServersComponent,
    LiveCallsComponent,
    RetentionComponent,
    GuestSettingsComponent,
    AuditLogComponent,
  ],
  templateUrl: './admin-page.component.html',
  styleUrl: './admin-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminPageComponent {
  protected readonly tabs = TABS;
  protected readonly tab = signal<AdminTab>('providers');

  protected select(tab: AdminTab): void {
    this.tab.set(tab);
  }

  /** Arrow keys move between tabs (WAI-ARIA tabs pattern). */
  protected onKey(event: KeyboardEvent, index: number): void {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = TABS[(index + delta + TABS.length) % TABS.length];
    if (!next) return;
    this.tab.set(next.id);
    const list = (event.currentTarget as HTMLElement).parentElement;
    list?.querySelector<HTMLElement>(`#admin-tab-${next.id}`)?.focus();
  }
}
