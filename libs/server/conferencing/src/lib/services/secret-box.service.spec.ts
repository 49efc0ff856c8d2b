import { SecretBox, parseSecretsKey } from './secret-box.service';

describe('SecretBox', () => {
  const box = new SecretBox({ secretsKey: Buffer.alloc(32, 1) });

  it('round-trips and never stores the clear text', () => {
    const sealed = box.encrypt('s3cret-value');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('s3cret');
    expect(box.encrypt('s3cret-value')).not.toBe(sealed); // random IV
    expect(box.decrypt(sealed)).toBe('s3cret-value');
  });

  it('refuses another key and tampered values with a clear message', () => {
    const sealed = box.encrypt('x');
    expect(() => new SecretBox({ secretsKey: Buffer.alloc(32, 2) }).decrypt(sealed)).toThrow(
      /SECRETS_KEY differs/,
    );
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => box.decrypt(`v1:${raw.toString('base64')}`)).toThrow(/SECRETS_KEY differs/);
    expect(() => box.decrypt('plain')).toThrow('not an encrypted secret');
    expect(() => new SecretBox({ secretsKey: Buffer.alloc(16) })).toThrow(/32-byte/);
  });

  it('parses base64 and hex keys', () => {
    expect(parseSecretsKey('ab'.repeat(32))).toEqual(Buffer.alloc(32, 0xab));
    expect(parseSecretsKey(Buffer.alloc(32, 3).toString('base64'))).toEqual(Buffer.alloc(32, 3));
    expect(() => parseSecretsKey('short')).toThrow(/must be 32 bytes/);
  });
});
