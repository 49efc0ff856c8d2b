import { HttpException } from '@nestjs/common';
import { REDACTED } from './audit.service';
import { auditedChanges, mergeSettings, providerUpdate, sealSettings } from './provider-settings';
import type { ProviderState } from './provider-state';

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
});
