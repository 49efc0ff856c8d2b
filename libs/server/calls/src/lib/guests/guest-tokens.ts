/**
 * Guest links and guest sessions are signed tokens: `base64url(JSON claims).base64url(HMAC-SHA256)`,
 * with a key derived from the server's secrets key (`SecretBox.deriveKey`). The claims name the
 * link, its room and call and the expiry, so the public page can answer without trusting anything
 * the browser sends; revocation is checked against the live call (guest-links.service.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a guest link says: which link of which room's call, until when (seconds since the epoch). */
export interface GuestLinkClaims {
  kind: 'link';
  linkId: string;
  roomId: string;
  callId: string;
  exp: number;
}

/** What a guest session says: the link's claims plus the guest's synthetic identity. */
export interface GuestSessionClaims extends Omit<GuestLinkClaims, 'kind'> {
  kind: 'session';
  guestId: string;
  displayName: string;
}

export type GuestClaims = GuestLinkClaims | GuestSessionClaims;

export type VerifyResult<C> = { ok: true; claims: C } | { ok: false; problem: 'invalid' | 'expired' };

const MAX_TOKEN_LENGTH = 2048;

export class GuestTokens {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('GuestTokens: the key must be at least 32 bytes');
  }

  sign(claims: GuestClaims): string {
    const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a token of `kind`, or why not: forged, malformed, the wrong kind (`invalid`), `expired`. */
  verify<K extends GuestClaims['kind']>(
    token: unknown,
    kind: K,
    now = Date.now(),
  ): VerifyResult<Extract<GuestClaims, { kind: K }>> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)
      return { ok: false, problem: 'invalid' };
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return { ok: false, problem: 'invalid' };
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, problem: 'invalid' };
    }
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, problem: 'invalid' };
    }
    if (!isClaims(claims) || claims.kind !== kind) return { ok: false, problem: 'invalid' };
    if (claims.exp * 1000 <= now) return { ok: false, problem: 'expired' };
    return { ok: true, claims: claims as Extract<GuestClaims, { kind: K }> };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function isClaims(value: unknown): value is GuestClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  const strings = ['linkId', 'roomId', 'callId'].every((k) => typeof c[k] === 'string');
  if (!strings || typeof c['exp'] !== 'number') return false;
  if (c['kind'] === 'link') return true;
  return c['kind'] === 'session' && typeof c['guestId'] === 'string' && typeof c['displayName'] === 'string';
}
