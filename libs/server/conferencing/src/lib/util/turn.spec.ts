import { turnRestCredentials } from './turn';
import { createHmac } from 'node:crypto';

describe('turnRestCredentials', () => {
  it('mints expiry:userId with base64 HMAC-SHA1 (coturn use-auth-secret)', () => {
    const minted = turnRestCredentials('secret', 'user-1', 600, 1_700_000_000_000);
    expect(minted.username).toBe('1700000600:user-1');
    expect(minted.expiresAt).toBe(1700000600);
    expect(minted.credential).toBe(createHmac('sha1', 'secret').update('1700000600:user-1').digest('base64'));
  });
});
