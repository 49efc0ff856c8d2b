import { createHmac } from 'node:crypto';

/**
 * TURN REST API credentials (coturn `use-auth-secret`, draft-uberti-behave-turn-rest): username
 * `<expiry unix seconds>:<userId>`, password `base64(HMAC-SHA1(sharedSecret, username))`.
 */
export function turnRestCredentials(
  sharedSecret: string,
  userId: string,
  ttlSeconds: number,
  nowMs = Date.now(),
): { username: string; credential: string; expiresAt: number } {
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${userId}`;
  const credential = createHmac('sha1', sharedSecret).update(username).digest('base64');
  return { username, credential, expiresAt };
}
