import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from './config';
import { ConfigError } from './config';

/**
 * SESSION_SECRET when set; otherwise (never in production) a secret generated once and kept in
 * `<DATA_DIR>/session-secret`, so sessions survive restarts.
 */
export function resolveSessionSecret(config: AppConfig, warn: (message: string) => void): string {
  if (config.sessionSecret) {
    return config.sessionSecret;
  }
  if (config.nodeEnv === 'production') {
    throw new ConfigError('Invalid configuration: SESSION_SECRET is required when NODE_ENV=production');
  }
  const file = join(config.dataDir, 'session-secret');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 16) {
      return stored;
    }
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  warn(
    `SESSION_SECRET is not set: generated a development secret and stored it in ${file} (set SESSION_SECRET in production)`,
  );
  return secret;
}
