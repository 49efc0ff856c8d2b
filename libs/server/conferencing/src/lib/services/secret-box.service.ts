import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { CONFERENCING_OPTIONS, type ConferencingModuleOptions } from '../conferencing.options';

const PREFIX = 'v1:';

/** Parses a 32-byte key given as base64 (44 chars) or hex (64 chars); throws naming what is wrong. */
export function parseSecretsKey(text: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(value)
      ? Buffer.from(value, 'base64')
      : null;
  if (!key || key.length !== 32) {
    throw new Error('must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)');
  }
  return key;
}

/** AES-256-GCM encryption of secrets at rest: `v1:<base64(iv 12 | tag 16 | ciphertext)>`. */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(@Inject(CONFERENCING_OPTIONS) options: Pick<ConferencingModuleOptions, 'secretsKey'>) {
    if (!Buffer.isBuffer(options.secretsKey) || options.secretsKey.length !== 32) {
      throw new Error('ConferencingModule: secretsKey must be a 32-byte Buffer');
    }
    this.key = options.secretsKey;
  }

  /**
   * A 32-byte key for one purpose (e.g. signing guest links), derived from the secrets key with
   * HKDF-SHA256: each use gets its own key, and none of them reveals the secrets key.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `parley:${purpose}`, 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Throws when the value was not encrypted with this key (wrong SECRETS_KEY) or was tampered with. */
  decrypt(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) {
      throw new Error('not an encrypted secret');
    }
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(
        'cannot decrypt a stored secret: SECRETS_KEY differs from the key it was encrypted with',
      );
    }
  }
}
