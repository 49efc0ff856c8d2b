/**
 * The security headers of #17: the policy itself (pure), FRAME_ANCESTORS as an operator writes it,
 * and the headers the real app (temp SQLite) sends on the portal, the API, the API docs and avatars.
 * What Chromium makes of them is test/e2e/security-headers.e2e.spec.ts.
 */
import type { UserSummary } from '@parley/protocol';
import { API } from '@parley/protocol';
import { ConfigError, loadConfig } from './config';
import { contentSecurityPolicy, contentSecurityPolicyHeader } from './security-headers';
import { startTestApp, type TestApp } from './testing';

const PORTAL = 'https://portal.example.com';

/** The header's directives, parsed back: name -> sources. */
function directives(header: string | null): Map<string, string[]> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );
}

describe('contentSecurityPolicy', () => {
  const http = contentSecurityPolicy({ publicUrl: 'http://localhost:3000', frameAncestors: [] });
  const https = contentSecurityPolicy({ publicUrl: 'https://parley.example.com', frameAncestors: [PORTAL] });

  it('runs scripts from Parley only: no inline script, no eval anywhere', () => {
    for (const policy of [http, https]) {
      expect(policy['script-src']).toEqual(["'self'"]);
      expect(policy['script-src-attr']).toEqual(["'none'"]);
      expect(policy['object-src']).toEqual(["'none'"]);
      expect(policy['base-uri']).toEqual(["'self'"]);
      expect(Object.values(policy).flat()).not.toContain("'unsafe-eval'");
      expect(Object.values(policy).flat()).not.toContain("'wasm-unsafe-eval'");
    }
  });

  it('lets Parley and the listed portals frame it, nobody else', () => {
    expect(http['frame-ancestors']).toEqual(["'self'"]);
    expect(https['frame-ancestors']).toEqual(["'self'", PORTAL]);
  });

  it('upgrades insecure requests and allows only secure remote addresses behind https', () => {
    expect(https['upgrade-insecure-requests']).toEqual([]);
    expect(https['connect-src']).toEqual(["'self'", 'https:', 'wss:']);
    expect(https['frame-src']).toEqual(["'self'", 'https:']);
    expect(http['upgrade-insecure-requests']).toBeUndefined();
    expect(http['connect-src']).toEqual(["'self'", 'http:', 'https:', 'ws:', 'wss:']);
    expect(http['frame-src']).toEqual(["'self'", 'http:', 'https:']);
  });

  it('renders the header browsers get', () => {
    const header = contentSecurityPolicyHeader({ publicUrl: 'https://p.example', frameAncestors: [PORTAL] });
    expect(header).toContain("default-src 'self'; script-src 'self'; ");
    expect(header).toContain(`frame-ancestors 'self' ${PORTAL}`);
    expect(header.endsWith('; upgrade-insecure-requests')).toBe(true);
  });
});

describe('FRAME_ANCESTORS', () => {
  it('takes origins separated by spaces or commas; unset is none', () => {
    expect(loadConfig({}).frameAncestors).toEqual([]);
    expect(
      loadConfig({ FRAME_ANCESTORS: ' https://a.example.com/,https://*.example.org  http://10.0.0.5:8080 ' })
        .frameAncestors,
    ).toEqual(['https://a.example.com', 'https://*.example.org', 'http://10.0.0.5:8080']);
  });

  it.each([
    'portal.example.com',
    'https://portal.example.com/path',
    "https://a.example.com 'unsafe-inline'",
    'https://a.example.com; script-src *',
    '*',
  ])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ FRAME_ANCESTORS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ FRAME_ANCESTORS: value })).toThrow(
      /FRAME_ANCESTORS must be a space- or comma-separated list of origins/,
    );
  });
});

describe('security headers of the app', () => {
  describe('behind https, with a portal that frames Parley', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({
        WEBRTC_ENABLED: 'false',
        PUBLIC_URL: 'https://parley.example.com',
        FRAME_ANCESTORS: PORTAL,
      });
    });

    afterAll(() => t?.close());

    it.each(['/', '/people/x', API.health, '/api/docs', API.users])(
      '%s gets the policy and the headers',
      async (path) => {
        const res = await fetch(t.base + path);
        const csp = directives(res.headers.get('content-security-policy'));
        expect(csp.get('script-src')).toEqual(["'self'"]);
        expect(csp.get('frame-ancestors')).toEqual(["'self'", PORTAL]);
        expect(csp.has('upgrade-insecure-requests')).toBe(true);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('same-origin');
        expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
        // frame-ancestors lists the portal: X-Frame-Options (which cannot) must not forbid it.
        expect(res.headers.get('x-frame-options')).toBeNull();
        expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
        expect(res.headers.get('x-powered-by')).toBeNull();
      },
    );

    it('serves avatars to other origins (portals, meeting pages)', async () => {
      const token = await t.login('alice');
      const users = (await t.rest<UserSummary[]>(API.users, { token })).body;
      const res = await fetch(t.base + users[0].avatarUrl);
      expect(res.status).toBe(200);
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('refusals carry the headers too', async () => {
      const res = await fetch(t.base + API.login, {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self' " + PORTAL);
    });
  });

  describe('on http, no other framing origin', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ WEBRTC_ENABLED: 'false' });
    });

    afterAll(() => t?.close());

    it('sends no HSTS, forbids foreign frames (CSP and X-Frame-Options)', async () => {
      const res = await fetch(t.base + '/');
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    });
  });
});
