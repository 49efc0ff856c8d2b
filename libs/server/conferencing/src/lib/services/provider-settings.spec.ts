import { HttpException } from '@nestjs/common';
import type { ConnectorDefinition } from '@parley/connector-sdk';
import { REDACTED } from './audit.service';
import * as providerSettings from './provider-settings';
import { openProviderState, refreshProviderState, type ProviderState } from './provider-state';

const { auditedChanges, mergeSettings, providerUpdate, sealSettings, settingsErrors } = providerSettings;

/** Only what the settings functions read: the secret fields and the stored settings. */
function stored(settings: Record<string, unknown>, secrets: string[]): ProviderState {
  return { settings, secrets: new Set(secrets) } as unknown as ProviderState;
}

describe('provider settings', () => {
  const state = stored({ url: 'https://a.example', secret: 's3cret' }, ['secret']);

  it('keeps a secret unless a new value or a clear is given', () => {
    expect(mergeSettings(state, { url: 'https://b.example' })).toEqual({
      settings: { url: 'https://b.example', secret: 's3cret' },
      secretsChanged: [],
    });
    expect(mergeSettings(state, { secret: { set: true } }).settings['secret']).toBe('s3cret');
    expect(mergeSettings(state, { secret: 'new' })).toMatchObject({ secretsChanged: ['secret'] });
    for (const clear of [null, '', { set: false }]) {
      expect(mergeSettings(state, { url: 'https://a.example', secret: clear })).toEqual({
        settings: { url: 'https://a.example' },
        secretsChanged: ['secret'],
      });
    }
  });

  it('says which settings changed, a secret only as redacted', () => {
    const merged = mergeSettings(state, { url: 'https://b.example', secret: 'new' });
    expect(auditedChanges(state, merged.settings, merged.secretsChanged)).toEqual({
      url: 'https://b.example',
      secret: REDACTED,
    });
  });

  it('seals secrets only', () => {
    const sealed = sealSettings(
      state,
      { url: 'https://a.example', secret: 'x' },
      (clear) => `sealed(${clear})`,
    );
    expect(sealed).toEqual({ url: 'https://a.example', secret: 'sealed(x)' });
  });

  it('refuses a malformed update with per-field errors', () => {
    expect(providerUpdate({ active: false })).toEqual({ active: false });
    for (const body of [null, [], { active: 'yes' }, { settings: 3 }, { other: 1 }]) {
      expect(() => providerUpdate(body)).toThrow(HttpException);
    }
    let thrown: unknown = null;
    try {
      providerUpdate({ active: 'yes', settings: 3 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpException);
    expect(JSON.stringify((thrown as HttpException).getResponse())).toMatch(/active.*settings/);
  });

  it('lets a required secret be cleared with null: saved, and the provider is then not configured', () => {
    const definition = {
      type: 'meet',
      settingsSchema: {
        type: 'object',
        properties: {
          url: { type: 'string', title: 'Service URL' },
          apiSecret: { type: 'string', title: 'API secret', writeOnly: true, minLength: 8 },
        },
        required: ['url', 'apiSecret'],
      },
      isConfigured: () => true,
    } as unknown as ConnectorDefinition;
    const row = { active: true, settings: JSON.stringify({ url: 'https://a.example', apiSecret: 'sealed' }) };
    const meet = openProviderState(definition, { kind: 'builtin' }, row as never, () => 'api-secret-1234');
    expect(meet.configured).toBe(true);

    for (const clear of [null, '', { set: false }]) {
      const input = { url: 'https://a.example', apiSecret: clear };
      const merged = mergeSettings(meet, input);
      expect(merged.settings).toEqual({ url: 'https://a.example' });
      expect(settingsErrors(meet, input, merged.settings)).toEqual([]);
    }
    // Only the cleared secret may go missing: a required plain field, or a secret never given, may not.
    const noUrl = { apiSecret: null };
    expect(settingsErrors(meet, noUrl, mergeSettings(meet, noUrl).settings).map((e) => e.field)).toEqual([
      'url',
    ]);
    const fresh = openProviderState(
      definition,
      { kind: 'builtin' },
      { ...row, settings: '{}' } as never,
      String,
    );
    const urlOnly = { url: 'https://a.example' };
    expect(
      settingsErrors(fresh, urlOnly, mergeSettings(fresh, urlOnly).settings).map((e) => e.field),
    ).toEqual(['apiSecret']);
    // Too short is still refused.
    const short = { url: 'https://a.example', apiSecret: 'x' };
    expect(settingsErrors(meet, short, mergeSettings(meet, short).settings).map((e) => e.field)).toEqual([
      'apiSecret',
    ]);

    meet.settings = mergeSettings(meet, { url: 'https://a.example', apiSecret: null }).settings;
    refreshProviderState(meet);
    expect(meet.configured).toMatch(/^Settings incomplete: API secret is required/);
  });
});
