import type { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import type { FieldError, ValidationErrorResponse } from '@parley/protocol';
import { FieldValidationPipe } from '../util/validation';
import { CreateIceServerDto, IceSettingsDto, UpdateIceServerDto } from './ice.dto';

const BODY: ArgumentMetadata = { type: 'body', metatype: Object };

async function errorsOf(pipe: FieldValidationPipe, body: unknown): Promise<ValidationErrorResponse> {
  try {
    await pipe.transform(body, BODY);
  } catch (error) {
    return (error as BadRequestException).getResponse() as ValidationErrorResponse;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

const fields = (response: ValidationErrorResponse): string[] =>
  response.errors.map((e: FieldError) => e.field);

describe('ICE admin DTOs (FieldValidationPipe)', () => {
  const create = new FieldValidationPipe(CreateIceServerDto, 'Invalid ICE server');
  const update = new FieldValidationPipe(UpdateIceServerDto, 'Invalid ICE server');
  const settings = new FieldValidationPipe(IceSettingsDto, 'Invalid ICE settings');

  it('accepts a valid server as it came (secrets may be null or empty)', async () => {
    const body = {
      label: ' Office ',
      urls: [' turn:turn.example.test:3478?transport=udp'],
      credentialType: 'static',
      username: 'u',
      credential: '',
      sharedSecret: null,
      ttlSeconds: null,
      enabled: false,
    };
    await expect(create.transform(body, BODY)).resolves.toEqual(body);
    await expect(update.transform({}, BODY)).resolves.toEqual({});
  });

  it('names each bad URL by its index, with the shared ICE URL rule', async () => {
    const response = await errorsOf(create, {
      urls: ['http://x', 'stun:ok.example:3478', 'turn:host:99999', 7],
    });
    expect(response.errors).toEqual([
      { field: 'urls[0]', message: 'http://x must start with stun:, stuns:, turn: or turns:' },
      { field: 'urls[2]', message: 'turn:host:99999 port must be 1-65535' },
      { field: 'urls[3]', message: '7 must be a string' },
    ]);
    expect(response).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/^Invalid ICE server: urls\[0\]: http:\/\/x must start/),
    });
  });

  it('names a URL that is no string by its type (never converting it), and a long one by a prefix', async () => {
    // As JSON.parse makes them: an own `__proto__` (no prototype once transformed), a `toString` that is data.
    const bare = JSON.parse('{"__proto__": null}') as unknown;
    const response = await errorsOf(create, {
      urls: [bare, { toString: 'x' }, ['turn:a.example'], null, `turn:${'x'.repeat(10_000)}:99999`],
    });
    expect(response.errors).toEqual([
      { field: 'urls[0]', message: 'an object must be a string' },
      { field: 'urls[1]', message: 'an object must be a string' },
      { field: 'urls[2]', message: 'a list must be a string' },
      { field: 'urls[3]', message: 'null must be a string' },
      { field: 'urls[4]', message: `turn:${'x'.repeat(75)}… must be at most 500 characters` },
    ]);
  });

  it('needs 1 to 10 URLs on create, and only checks given fields on update', async () => {
    for (const urls of [undefined, null, 'stun:a.example', [], Array(11).fill('bad')]) {
      expect((await errorsOf(create, { urls })).errors).toEqual([
        { field: 'urls', message: 'urls must list 1 to 10 URLs' },
      ]);
    }
    expect(fields(await errorsOf(update, { urls: null }))).toEqual(['urls']);
  });

  it('gives one message a field, and refuses unknown keys and non-objects', async () => {
    const response = await errorsOf(update, {
      extra: 1,
      label: null,
      credentialType: 'oauth',
      username: 3,
      credential: 'x'.repeat(501),
      ttlSeconds: '600',
      enabled: 'yes',
    });
    expect(response.errors).toEqual([
      { field: 'extra', message: 'property extra should not exist' },
      { field: 'label', message: 'label must be a string of at most 200 characters' },
      { field: 'credentialType', message: 'credentialType must be none, static or rest' },
      { field: 'username', message: 'username must be a string of at most 200 characters, or null' },
      { field: 'credential', message: 'credential must be a string of at most 500 characters, or null' },
      { field: 'ttlSeconds', message: 'ttlSeconds must be an integer 60-604800' },
      { field: 'enabled', message: 'enabled must be a boolean' },
    ]);
    for (const ttlSeconds of [59, 604801, 60.5]) {
      expect(fields(await errorsOf(update, { ttlSeconds }))).toEqual(['ttlSeconds']);
    }
    for (const body of [null, [], 'x']) {
      expect((await errorsOf(update, body)).errors).toEqual([
        { field: '', message: 'body must be an object' },
      ]);
    }
  });

  it('checks the ICE settings: order as a list of ids, the policy all or relay', async () => {
    await expect(
      settings.transform({ order: ['a', 'b'], iceTransportPolicy: 'relay' }, BODY),
    ).resolves.toEqual({
      order: ['a', 'b'],
      iceTransportPolicy: 'relay',
    });
    expect((await errorsOf(settings, { order: 'a', iceTransportPolicy: 'none' })).errors).toEqual([
      { field: 'order', message: 'order must list every ICE server id once' },
      { field: 'iceTransportPolicy', message: 'iceTransportPolicy must be all or relay' },
    ]);
    expect(fields(await errorsOf(settings, { order: [1] }))).toEqual(['order']);
  });
});
