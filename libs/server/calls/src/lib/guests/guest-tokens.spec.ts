import { randomBytes } from 'node:crypto';
import { type GuestLinkClaims, GuestTokens } from './guest-tokens';

describe('GuestTokens (signed guest links and sessions)', () => {
  const tokens = new GuestTokens(randomBytes(32));
  const now = Date.parse('2026-12-04T10:00:00Z');
  const link: GuestLinkClaims = {
    kind: 'link',
    linkId: 'l1',
    roomId: 'r1',
    callId: 'c1',
    exp: now / 1000 + 60,
  };

  it('verifies what it signed, of the kind asked for', () => {
    const token = tokens.sign(link);
    expect(tokens.verify(token, 'link', now)).toEqual({ ok: true, claims: link });
    expect(tokens.verify(token, 'session', now)).toEqual({ ok: false, problem: 'invalid' });
  });

  it('says expired once the expiry has passed', () => {
    const token = tokens.sign(link);
    expect(tokens.verify(token, 'link', now + 59_000).ok).toBe(true);
    expect(tokens.verify(token, 'link', now + 60_000)).toEqual({ ok: false, problem: 'expired' });
  });

  it('refuses a changed claim, another key’s signature, and malformed input', () => {
    const token = tokens.sign(link);
    const [, mac] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...link, roomId: 'r2' })).toString('base64url')}.${mac}`;
    expect(tokens.verify(forged, 'link', now)).toEqual({ ok: false, problem: 'invalid' });
    expect(new GuestTokens(randomBytes(32)).verify(token, 'link', now)).toEqual({
      ok: false,
      problem: 'invalid',
    });
    for (const bad of [undefined, 42, '', 'abc', `${token}.x`, 'x'.repeat(3000)]) {
      expect(tokens.verify(bad, 'link', now)).toEqual({ ok: false, problem: 'invalid' });
    }
  });

  it('a session token carries the guest and is not a link', () => {
    const session = tokens.sign({ ...link, kind: 'session', guestId: 'guest-1', displayName: 'Gina' });
    expect(tokens.verify(session, 'session', now)).toMatchObject({
      ok: true,
      claims: { guestId: 'guest-1' },
    });
    expect(tokens.verify(session, 'link', now).ok).toBe(false);
  });

  it('needs a 32-byte key', () => {
    expect(() => new GuestTokens(randomBytes(16))).toThrow(/32 bytes/);
  });
});
