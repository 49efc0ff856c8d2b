import { Injectable, Logger } from '@nestjs/common';
import { MAX_RETENTION_DAYS, type RetentionSettings } from '@parley/protocol';
import { type Actor, AuditService, ConferencingSettingRepository } from '@parley/server-conferencing';

/** Keys in the conferencing key/value settings table (`conferencing_settings`). */
export const RETENTION_KEYS = {
  recordingDays: 'retention.recordingDays',
  callHistoryDays: 'retention.callHistoryDays',
} as const satisfies Record<keyof RetentionSettings, string>;

const FIELDS = Object.keys(RETENTION_KEYS) as (keyof RetentionSettings)[];

/** A patch of {@link RetentionSettings}: a field left out stays as it is, null means keep everything. */
export type RetentionSettingsUpdate = Partial<RetentionSettings>;

/**
 * The admins' retention settings (docs/operations.md "Retention"): how many days recordings and
 * call history are kept, null (the default) to keep them. Stored as JSON values in the shared
 * settings table and read from it each time (the daily sweep and the admin page only), so every
 * node sees an admin's change at its next sweep. Changes are audited.
 */
@Injectable()
export class RetentionSettingsService {
  private readonly logger = new Logger(RetentionSettingsService.name);

  constructor(
    private readonly settings: ConferencingSettingRepository,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<RetentionSettings> {
    const entries = await Promise.all(
      FIELDS.map(async (field) => [field, this.parse(field, await this.settings.get(RETENTION_KEYS[field]))]),
    );
    return Object.fromEntries(entries) as RetentionSettings;
  }

  /** Saves the fields given (the REST DTO has checked them) and records the change in the audit log. */
  async update(patch: RetentionSettingsUpdate, actor: Actor): Promise<RetentionSettings> {
    const before = await this.get();
    const changed = FIELDS.filter((field) => patch[field] !== undefined && patch[field] !== before[field]);
    for (const field of changed) {
      await this.settings.set(RETENTION_KEYS[field], JSON.stringify(patch[field]));
    }
    const after = await this.get();
    if (changed.length > 0) {
      const details = Object.fromEntries(
        changed.map((field) => [field, { from: before[field], to: after[field] }]),
      );
      await this.audit.record(actor, 'retention.settings', 'retention', details);
    }
    return after;
  }

  /** A stored value, or null (keep) when absent or not a valid number of days (logged). */
  private parse(field: keyof RetentionSettings, raw: string | null): number | null {
    if (raw === null) return null;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    if (value === null) return null;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_RETENTION_DAYS) {
      return value;
    }
    this.logger.warn(
      `Ignoring the stored ${RETENTION_KEYS[field]} ${JSON.stringify(raw)}: keeping everything`,
    );
    return null;
  }
}
