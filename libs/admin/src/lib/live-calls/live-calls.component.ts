import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import type { AdminCallParticipant, AdminLiveCall } from '@parley/protocol';
import { AdminApi, AdminApiError } from '../api/admin-api.service';
import { showingErrors } from '../shared/admin-ui';

/** How often the list is fetched again while the tab is open. */
export const LIVE_CALLS_REFRESH_MS = 3000;

/** One participant's open "Details": the `/call stats` JSON, or why it is not there. */
interface OpenDetails {
  key: string;
  text: string | null;
  error: string | null;
}

/**
 * The Calls tab: the live calls of the node that answers (room, provider, participants with their
 * bitrates, loss and relay or direct), fetched again every few seconds, and per participant the
 * `/call stats` detail on demand.
 */
@Component({
  selector: 'parley-live-calls',
  imports: [DatePipe],
  templateUrl: './live-calls.component.html',
  styleUrl: './live-calls.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LiveCallsComponent {
  private readonly api = inject(AdminApi);
  private loading = false;

  protected readonly calls = signal<readonly AdminLiveCall[] | null>(null);
  protected readonly node = signal('');
  protected readonly error = signal<string | null>(null);
  protected readonly details = signal<OpenDetails | null>(null);

  constructor() {
    void this.load();
    const timer = setInterval(() => void this.load(), LIVE_CALLS_REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  async load(): Promise<void> {
    if (this.loading) return; // a slow answer: no second request on top
    this.loading = true;
    await showingErrors(this.error, async () => {
      const answer = await this.api.liveCalls();
      this.calls.set(answer.calls);
      this.node.set(answer.node);
    });
    this.loading = false;
  }

  protected key(call: AdminLiveCall, p: AdminCallParticipant): string {
    return `${call.id}/${p.userId}`;
  }

  /** Opens (fetching it) or closes one participant's `/call stats` detail. */
  async toggleDetails(call: AdminLiveCall, p: AdminCallParticipant): Promise<void> {
    const key = this.key(call, p);
    if (this.details()?.key === key) {
      this.details.set(null);
      return;
    }
    this.details.set({ key, text: null, error: null });
    let shown: OpenDetails;
    try {
      const { stats } = await this.api.participantStats(call.id, p.userId);
      shown = { key, text: JSON.stringify(stats, null, 2), error: null };
    } catch (err) {
      shown = { key, text: null, error: AdminApiError.from(err).message };
    }
    if (this.details()?.key === key) this.details.set(shown); // not closed or switched meanwhile
  }

  protected kbps(value: number | null): string {
    return value === null ? '—' : `${Math.round(value)} kbit/s`;
  }

  protected loss(value: number | null): string {
    return value === null ? '—' : `${value.toFixed(1)} %`;
  }

  protected connection(value: AdminCallParticipant['connection']): string {
    return value === 'relay' ? 'Relay (TURN)' : value === 'direct' ? 'Direct' : '—';
  }
}
