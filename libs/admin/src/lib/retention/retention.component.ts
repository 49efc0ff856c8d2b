import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MAX_RETENTION_DAYS, type RetentionSettings } from '@parley/protocol';
import { AdminApi, AdminApiError } from '../api/admin-api.service';
import { showingErrors } from '../shared/admin-ui';

type Field = keyof RetentionSettings;

const FIELDS: readonly { key: Field; label: string; help: string }[] = [
  {
    key: 'recordingDays',
    label: 'Delete call recordings after',
    help: 'Days after a recording stopped. Its file goes and its post in the call thread says it was deleted.',
  },
  {
    key: 'callHistoryDays',
    label: 'Delete call history after',
    help: 'Days after a call started (ended calls only): it leaves every user’s call history.',
  },
];

/** What the inputs hold: the text typed, `''` for "keep". */
type Draft = Record<Field, string>;

function toDraft(settings: RetentionSettings): Draft {
  return {
    recordingDays: settings.recordingDays === null ? '' : String(settings.recordingDays),
    callHistoryDays: settings.callHistoryDays === null ? '' : String(settings.callHistoryDays),
  };
}

/** `''` is null (keep); anything else goes to the server as a number (it says what is wrong). */
function fromDraft(draft: Draft): RetentionSettings {
  const days = (text: string) => (text.trim() === '' ? null : Number(text));
  return { recordingDays: days(draft.recordingDays), callHistoryDays: days(draft.callHistoryDays) };
}

/**
 * Retention: how many days recordings and call history are kept (empty: kept, the default). A daily
 * sweep on the server deletes what is older (docs/operations.md "Retention").
 */
@Component({
  selector: 'parley-retention',
  templateUrl: './retention.component.html',
  styleUrl: './retention.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RetentionComponent {
  private readonly api = inject(AdminApi);

  protected readonly fields = FIELDS;
  protected readonly max = MAX_RETENTION_DAYS;
  protected readonly draft = signal<Draft | null>(null);
  protected readonly errors = signal<Record<string, string>>({});
  protected readonly error = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly saved = signal(false);

  constructor() {
    void showingErrors(this.error, async () => this.draft.set(toDraft(await this.api.retention())));
  }

  protected set(field: Field, event: Event): void {
    const draft = this.draft();
    if (!draft) return;
    this.draft.set({ ...draft, [field]: (event.target as HTMLInputElement).value });
    this.saved.set(false);
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    const draft = this.draft();
    if (!draft || this.saving()) return;
    this.saving.set(true);
    try {
      this.draft.set(toDraft(await this.api.updateRetention(fromDraft(draft))));
      this.errors.set({});
      this.error.set(null);
      this.saved.set(true);
    } catch (err) {
      const failure = AdminApiError.from(err);
      const byField = failure.byField();
      this.errors.set(byField);
      this.error.set(Object.keys(byField).length > 0 ? null : failure.message);
    } finally {
      this.saving.set(false);
    }
  }
}
