import type { SettingsSchema } from '@parley/protocol';
import { SettingsValidator, secretFields, settingsSchemaProblems } from './schema';

const schema: SettingsSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', title: 'Service URL', format: 'uri', pattern: '^https?://' },
    secret: { type: 'string', title: 'App secret', writeOnly: true, minLength: 8 },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 443 },
  },
  required: ['url', 'secret'],
};

describe('settings schema', () => {
  it('finds secret fields', () => {
    expect(secretFields(schema)).toEqual(['secret']);
  });

  it('refuses unusable schemas with reasons', () => {
    expect(settingsSchemaProblems(schema)).toEqual([]);
    expect(settingsSchemaProblems(null)).toEqual(['settingsSchema must be an object']);
    expect(
      settingsSchemaProblems({
        type: 'object',
        properties: { a: { type: 'array' }, b: { type: 'number', writeOnly: true } },
        required: ['c'],
      }),
    ).toEqual([
      'property a: type must be string, number, integer or boolean',
      'property b: a secret (writeOnly) must be a string',
      'required names unknown property c',
    ]);
    expect(
      settingsSchemaProblems({ type: 'object', properties: { a: { type: 'string', minLenght: 2 } } })[0],
    ).toMatch(/does not compile: strict mode: unknown keyword: "minLenght"/);
  });

  it('reports one error per field', () => {
    const validator = new SettingsValidator(schema);
    expect(validator.validate({ url: 'https://meet.example.com', secret: 'long-enough' })).toEqual([]);
    expect(validator.validate({ url: 'not a url', port: '443', extra: 1 })).toEqual(
      expect.arrayContaining([
        { field: 'url', message: 'Service URL must be a URL starting with https:// or http://' },
        { field: 'secret', message: 'App secret is required' },
        { field: 'port', message: 'port must be of type integer' },
        { field: 'extra', message: 'extra is not a setting of this provider' },
      ]),
    );
    expect(validator.validate({ url: 'https://exa mple.com/', secret: 'long-enough' })).toEqual([
      { field: 'url', message: 'Service URL must be a valid URL (such as https://example.com, no spaces)' },
    ]);
    expect(validator.withDefaults({ url: 'x' })).toEqual({ url: 'x', port: 443 });
  });

  it("says a connector's patternMessage instead of the pattern, and refuses one that is not a string", () => {
    const worded = new SettingsValidator({
      type: 'object',
      properties: {
        ip: {
          type: 'string',
          title: 'Listen address',
          pattern: '^\\d+(\\.\\d+){3}$',
          patternMessage: 'Enter an IPv4 address',
        },
      },
    });
    expect(worded.validate({ ip: 'everywhere' })).toEqual([
      { field: 'ip', message: 'Enter an IPv4 address' },
    ]);
    expect(
      settingsSchemaProblems({ type: 'object', properties: { a: { type: 'string', patternMessage: 3 } } })[0],
    ).toMatch(/does not compile/);
  });
});
