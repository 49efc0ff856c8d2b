import { Injectable, Logger } from '@nestjs/common';
import type { GuestLinkCreators, GuestSettings, GuestSettingsUpdate } from '@parley/protocol';
import { type Actor, AuditService, ConferencingSettingRepository } from '@parley/server-conferencing';

/** Keys in the conferencing key/value settings table (`conferencing_settings`). */
export const GUEST_KEYS = {
  enabled: 'guests.enabled',
  creators: 'guests.creators',
} as const satisfies Record<keyof GuestSettings, string>;

export const DEFAULT_GUEST_SETTINGS: GuestSettings = { enabled: true, creators: 'host' };

const CREATORS: readonly GuestLinkCreators[] = ['host', 'members'];

/**
 * The admins' guest switch (docs/guests.md): guests on or off for the whole portal, and who may
 * create links. Stored as JSON values in the shared settings table and read when a link is made,
 * opened or used (never on a call's hot path); changes are audited.
 */
@Injectable()
export class GuestSettingsService {
  private readonly logger = new Logger(GuestSettingsService.name);

  constructor(
    private readonly settings: ConferencingSettingRepository,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<GuestSettings> {
    const [enabled, creators] = await Promise.all([
      this.settings.get(GUEST_KEYS.enabled),
      this.settings.get(GUEST_KEYS.creators),
    ]);
    return {
      enabled:
        this.parse(GUEST_KEYS.enabled, enabled, (v): v is boolean => typeof v === 'boolean') ??
        DEFAULT_GUEST_SETTINGS.enabled,
      creators:
        this.parse(GUEST_KEYS.creators, creators, (v): v is GuestLinkCreators =>
          CREATORS.includes(v as GuestLinkCreators),
        ) ?? DEFAULT_GUEST_SETTINGS.creators,
    };
  }

  /** Saves the fields given (the REST DTO has checked them) and records the change in the audit log. */
  async update(patch: GuestSettingsUpdate, actor: Actor): Promise<GuestSettings> {
    const before = await this.get();
    const fields = (Object.keys(GUEST_KEYS) as (keyof GuestSettings)[]).filter(
      (field) => patch[field] !== undefined && patch[field] !== before[field],
    );
    for (const field of fields) await this.settings.set(GUEST_KEYS[field], JSON.stringify(patch[field]));
    const after = await this.get();
    if (fields.length > 0) {
      const details = Object.fromEntries(fields.map((f) => [f, { from: before[f], to: after[f] }]));
      await this.audit.record(actor, 'guests.settings', 'guests', details);
    }
    return after;
  }

  private parse<T>(key: string, raw: string | null, valid: (value: unknown) => value is T): T | null {
    if (raw === null) return null;
    try {
      const value: unknown = JSON.parse(raw);
      if (valid(value)) return value;
    } catch {
      // logged below
    }
    this.logger.warn(`Ignoring the stored ${key} ${JSON.stringify(raw)}: using the default`);
    return null;
  }
}
