import { parseSecretsKey } from '@parley/server-conferencing';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from './config';
import { ConfigError } from './config';

/**
 * The 32-byte key that encrypts secrets at rest: SECRETS_KEY when set; otherwise (never in
 * production) a key generated once and kept in `<DATA_DIR>/secrets-key` (mode 0600), with a log line.
 */
export function resolveSecretsKey(config: AppConfig, warn: (message: string) => void): Buffer {
  if (config.secretsKey) {
    return parseSecretsKey(config.secretsKey);
  }
  if (config.nodeEnv === 'production') {
    throw new ConfigError(
      'Invalid configuration: SECRETS_KEY is required when NODE_ENV=production (32 bytes: openssl rand -base64 32)',
    );
  }
  const file = join(config.dataDir, 'secrets-key');
  if (existsSync(file)) {
    try {
      return parseSecretsKey(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(
        `Invalid development secrets key in ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  warn(
    `SECRETS_KEY is not set: generated a development key and stored it in ${file} (set SECRETS_KEY in production; keep it, or stored secrets cannot be read)`,
  );
  return key;
}
