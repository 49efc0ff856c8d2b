import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal } from '@angular/core';
import type { CallHistoryEntry } from '@parley/protocol';
import { debounceTime, merge } from 'rxjs';
import { DatePipe } from '@angular/common';
import { ParleyWidgetHost } from '../host/widget-host';
import { formatDuration } from '../call-window/call-window.component';

const OUTCOME_LABELS: Readonly<Record<string, string>> = {
  completed: 'Completed',
  declined: 'Declined',
  missed: 'Missed',
  cancelled: 'Cancelled',
  busy: 'Busy',
  failed: 'Failed',
};

/** Recent calls (outcome, duration), all of them or only those with one user; live after each call. */
@Component({
  selector: 'parley-call-history',
  imports: [DatePipe],
  templateUrl: './call-history.component.html',
  styleUrl: './call-history.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CallHistoryComponent {
  private readonly host = inject(ParleyWidgetHost);

  /** Only the calls with this user (profile page); all the user's calls when empty. */
  readonly userId = input<string | null>(null);
  readonly limit = input(20);

  protected readonly entries = signal<readonly CallHistoryEntry[]>([]);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The outcome's label; a failed call says why ("Failed: no camera/microphone access"). */
  protected outcomeLabel(entry: CallHistoryEntry): string {
    const { outcome, endReason } = entry.call;
    if (!outcome) return 'In progress';
    const why = outcome === 'failed' ? endReason?.replace(/^call failed: /, '') : null;
    return why ? `${OUTCOME_LABELS[outcome]}: ${why}` : OUTCOME_LABELS[outcome];
  }

  constructor() {
    effect(() => {
      const userId = this.userId();
      const limit = this.limit();
      if (this.host.me()) void this.load(userId, limit);
    });
    // History is written behind the call: refetch shortly after any call of ours ends.
    const sub = merge(this.host.events('call.ended'), this.host.events('call.missed'))
      .pipe(debounceTime(400))
      .subscribe(() => void this.load(this.userId(), this.limit()));
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
  }

  protected duration(entry: CallHistoryEntry): string {
    return formatDuration(entry.call.durationSeconds * 1000);
  }

  private async load(userId: string | null, limit: number): Promise<void> {
    try {
      const res = await this.host.history(userId ? { userId, limit } : { limit });
      this.entries.set(res.entries);
      this.error.set(null);
    } catch (err) {
      this.error.set(err instanceof Error ? err.message : 'Could not load the call history.');
    } finally {
      this.loaded.set(true);
    }
  }
}
