import { Logger } from '@nestjs/common';
import type { AuditService, ConferencingSettingRepository } from '@parley/server-conferencing';
import { GUEST_KEYS, GuestSettingsService } from './guest-settings.service';

describe('GuestSettingsService (the admins’ guest switch)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  function setUp(stored: Record<string, string> = {}) {
    const rows = new Map(Object.entries(stored));
    const audits: unknown[][] = [];
    const repository = {
      get: async (key: string) => rows.get(key) ?? null,
      set: async (key: string, value: string) => void rows.set(key, value),
    } as unknown as ConferencingSettingRepository;
    const audit = { record: async (...args: unknown[]) => void audits.push(args) } as unknown as AuditService;
    return { service: new GuestSettingsService(repository, audit), rows, audits };
  }

  it('guests are on, links by the host, until the admins say otherwise (a bad stored value is ignored)', async () => {
    await expect(setUp().service.get()).resolves.toEqual({ enabled: true, creators: 'host' });
    const odd = setUp({ [GUEST_KEYS.enabled]: '"yes"', [GUEST_KEYS.creators]: 'everyone' });
    await expect(odd.service.get()).resolves.toEqual({ enabled: true, creators: 'host' });
  });

  it('saves and audits what changed only', async () => {
    const { service, rows, audits } = setUp();
    const admin = { id: 'alice', displayName: 'Alice' };
    await expect(service.update({ enabled: false }, admin)).resolves.toEqual({
      enabled: false,
      creators: 'host',
    });
    expect(rows.get(GUEST_KEYS.enabled)).toBe('false');
    expect(audits).toEqual([[admin, 'guests.settings', 'guests', { enabled: { from: true, to: false } }]]);
    await service.update({ enabled: false, creators: 'members' }, admin);
    expect(audits[1]).toEqual([
      admin,
      'guests.settings',
      'guests',
      { creators: { from: 'host', to: 'members' } },
    ]);
    await service.update({ creators: 'members' }, admin);
    expect(audits).toHaveLength(2);
  });
});
