import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { errorMessage } from '@parley/protocol';
import { CallRepository, RecordingRepository } from '../repositories';
import { RecordingDeletion } from './recording-deletion.service';
import { RetentionSettingsService } from './retention-settings.service';

/** The first sweep runs this long after start-up (the app is serving by then), then every {@link SWEEP_EVERY_MS}. */
export const FIRST_SWEEP_MS = 60_000;
export const SWEEP_EVERY_MS = 24 * 60 * 60 * 1000;
/** Rows per query/transaction: short ones, so the event loop (SQLite is synchronous) keeps serving calls in between. */
const BATCH = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionSweepResult {
  /** Ids of the recordings deleted (file, row, post rewritten). */
  recordings: string[];
  /** Recordings whose file could not be removed (kept for the next sweep). */
  failed: string[];
  /** Call history rows (calls, with their participants and events) deleted. */
  calls: number;
}

/**
 * The daily retention sweep (docs/operations.md "Retention"): recordings stopped more than
 * `recordingDays` ago and ended calls started more than `callHistoryDays` ago are deleted, with the
 * admins' settings read afresh each run (null: keep). Every node runs it on its own timer; deleting
 * by id is idempotent and a file already gone is fine, so nodes sweeping together do no harm. It
 * works in small batches off the call path (timers unref'd: it never keeps the process alive).
 */
@Injectable()
export class RetentionSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionSweep.name);
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<RetentionSweepResult> | null = null;
  private closed = false;

  constructor(
    private readonly settings: RetentionSettingsService,
    private readonly recordings: RecordingRepository,
    private readonly calls: CallRepository,
    private readonly deletion: RecordingDeletion,
  ) {}

  onApplicationBootstrap(): void {
    const first = setTimeout(() => {
      this.runScheduled();
      const daily = setInterval(() => this.runScheduled(), SWEEP_EVERY_MS);
      daily.unref();
      this.timers.push(daily);
    }, FIRST_SWEEP_MS);
    first.unref();
    this.timers.push(first);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    await this.running?.catch(() => undefined);
  }

  /** One sweep now (a sweep already going on is joined, not doubled). */
  sweep(now: Date = new Date()): Promise<RetentionSweepResult> {
    this.running ??= this.run(now).finally(() => (this.running = null));
    return this.running;
  }

  private runScheduled(): void {
    this.sweep().catch((error: unknown) =>
      this.logger.error(`Retention sweep failed: ${errorMessage(error)}`),
    );
  }

  private async run(now: Date): Promise<RetentionSweepResult> {
    const { recordingDays, callHistoryDays } = await this.settings.get();
    const result: RetentionSweepResult = { recordings: [], failed: [], calls: 0 };
    if (recordingDays !== null) await this.sweepRecordings(cutoff(now, recordingDays), recordingDays, result);
    if (callHistoryDays !== null) await this.sweepCalls(cutoff(now, callHistoryDays), result);
    if (result.recordings.length + result.failed.length + result.calls > 0) {
      this.logger.log(
        `Retention sweep: deleted ${result.recordings.length} recording(s) older than ${recordingDays} day(s)` +
          `${result.recordings.length ? ` (${result.recordings.join(', ')})` : ''}, ` +
          `${result.calls} call(s) of history older than ${callHistoryDays} day(s)` +
          `${result.failed.length ? `; could not delete ${result.failed.join(', ')} (kept for the next sweep)` : ''}`,
      );
    }
    return result;
  }

  private async sweepRecordings(before: string, days: number, result: RetentionSweepResult): Promise<void> {
    const note = `deleted: recordings are kept ${days} day${days === 1 ? '' : 's'}`;
    for (;;) {
      const rows = (await this.recordings.stoppedBefore(before, BATCH + result.failed.length)).filter(
        (row) => !result.failed.includes(row.id),
      );
      if (rows.length === 0 || this.closed) return;
      for (const row of rows) {
        try {
          await this.deletion.remove(row, note);
          result.recordings.push(row.id);
        } catch (error) {
          this.logger.warn(`Retention: recording ${row.id} could not be deleted: ${errorMessage(error)}`);
          result.failed.push(row.id);
        }
      }
      await yieldToCalls();
    }
  }

  private async sweepCalls(before: string, result: RetentionSweepResult): Promise<void> {
    while (!this.closed) {
      const deleted = await this.calls.deleteEndedBefore(before, BATCH);
      result.calls += deleted;
      if (deleted < BATCH) return;
      await yieldToCalls();
    }
  }
}

function cutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** Lets queued socket and HTTP work run between batches. */
function yieldToCalls(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
