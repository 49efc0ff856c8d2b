import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

export interface SecurityHeadersOptions {
  /** The server's public base URL (PUBLIC_URL): https turns on HSTS and upgrade-insecure-requests. */
  publicUrl: string;
  /** Origins besides Parley's own whose pages may frame Parley (FRAME_ANCESTORS). */
  frameAncestors: readonly string[];
}

/** Avatars are shown by other origins too: portals using the custom elements, meeting pages (Jitsi). */
const CROSS_ORIGIN_IMAGES = /^\/api\/users\/[^/]+\/avatar\.svg$/;

/**
 * The Content-Security-Policy of every response, as directive -> sources.
 *
 * - Scripts only from Parley itself: the portal, the widget's custom elements (`/widget/main.js`),
 *   the connectors' client halves (`/api/providers/<type>/client.js`, `import()`ed) and the API
 *   docs are all files served here. No inline script, no inline event handler, no `eval`.
 * - Styles allow `'unsafe-inline'`: Angular adds every component's styles as `<style>` elements at
 *   run time, and templates set `style` attributes. A stylesheet cannot run script.
 * - `connect-src` and `frame-src` allow Parley and any https (and wss) address (http and ws too
 *   while PUBLIC_URL is http): connectors' client halves reach their own services (the Janus
 *   gateway's WebSocket, a Jitsi or link-out meeting page in a frame), and admins add and re-point
 *   providers while users' pages stay open for hours, so a page cannot be pinned to the provider
 *   addresses of the moment it loaded. (`'self'` covers Parley's own ws/wss in CSP Level 3.)
 * - Media elements play streams (`srcObject`, no source needed) and recordings from Parley.
 */
export function contentSecurityPolicy(options: SecurityHeadersOptions): Record<string, string[]> {
  const https = new URL(options.publicUrl).protocol === 'https:';
  const pages = https ? ['https:'] : ['http:', 'https:'];
  const sockets = https ? ['wss:'] : ['ws:', 'wss:'];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...pages, ...sockets],
    'frame-src': ["'self'", ...pages],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'", ...options.frameAncestors],
  };
  if (https) directives['upgrade-insecure-requests'] = [];
  return directives;
}

/** The header as browsers get it (for tests and the documentation). */
export function contentSecurityPolicyHeader(options: SecurityHeadersOptions): string {
  return Object.entries(contentSecurityPolicy(options))
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/**
 * helmet with Parley's policy, installed before every route (API, socket.io polling, API docs,
 * portal): CSP above, `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`, HSTS
 * when PUBLIC_URL is https, `X-Frame-Options: SAMEORIGIN` while no other origin may frame Parley.
 */
export function securityHeaders(options: SecurityHeadersOptions): RequestHandler {
  const https = new URL(options.publicUrl).protocol === 'https:';
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(options) },
    // `same-origin`, not helmet's `no-referrer`: under `no-referrer` Chromium sends `Origin: null`
    // on the portal's own POSTs, which the CSRF check (request-origin.ts) refuses.
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Old browsers without frame-ancestors get X-Frame-Options; it cannot list other origins, and
    // where frame-ancestors does, browsers that know it ignore X-Frame-Options anyway.
    xFrameOptions: options.frameAncestors.length === 0 ? { action: 'sameorigin' } : false,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    headers(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (CROSS_ORIGIN_IMAGES.test(req.path)) res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      next();
    });
  };
}
