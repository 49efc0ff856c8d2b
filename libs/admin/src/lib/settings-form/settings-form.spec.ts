import type { SettingsSchema } from '@parley/protocol';
import { initialDraft, settingsFields, settingsPayload } from './settings-form';

const schema: SettingsSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', title: 'Service URL', format: 'uri' },
    secret: { type: 'string', title: 'Secret', writeOnly: true },
    ttl: { type: 'integer', default: 60 },
    mode: { type: 'string', enum: ['a', 'b'] },
    recording: { type: 'boolean', default: true },
  },
  required: ['url', 'secret'],
};

describe('settings form model', () => {
  const fields = settingsFields(schema);

  it('derives one field per property, in order, with its kind', () => {
    expect(fields.map((f) => [f.key, f.kind, f.label, f.required])).toEqual([
      ['url', 'text', 'Service URL', true],
      ['secret', 'secret', 'Secret', true],
      ['ttl', 'number', 'ttl', false],
      ['mode', 'select', 'mode', false],
      ['recording', 'checkbox', 'recording', false],
    ]);
  });

  it('starts from the stored values; secrets start empty', () => {
    expect(
      initialDraft(fields, { url: 'https://x.test', secret: { set: true }, ttl: 30, mode: null }),
    ).toEqual({
      url: 'https://x.test',
      secret: '',
      ttl: '30',
      mode: '',
      recording: true,
    });
  });

  it('sends numbers as numbers, wrong types as typed, empty texts as unset, secrets only when changed', () => {
    const draft = { url: ' https://x.test ', secret: '', ttl: 'soon', mode: '', recording: false };
    expect(settingsPayload(fields, draft, {})).toEqual({
      url: 'https://x.test',
      ttl: 'soon',
      recording: false,
    });
    expect(settingsPayload(fields, { ...draft, ttl: '15', secret: 's3cret' }, { secret: 'replace' })).toEqual(
      {
        url: 'https://x.test',
        ttl: 15,
        secret: 's3cret',
        recording: false,
      },
    );
    expect(settingsPayload(fields, draft, { secret: 'clear' })).toEqual(
      expect.objectContaining({ secret: null }),
    );
  });
});
