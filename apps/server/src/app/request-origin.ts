import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Methods that change nothing: never refused for their Origin or body type. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Which page origins may use the session cookie to change something: the server's own (PUBLIC_URL's
 * origin, or the request's own host: same-origin), plus ALLOWED_ORIGINS. A request without an
 * `Origin` header is not a browser's cross-site request (browsers send it on every POST, PUT,
 * PATCH, DELETE and WebSocket handshake) and is allowed; `Origin: null` (sandboxed frames, some
 * redirects) is refused.
 */
export class OriginPolicy {
  private readonly origins: ReadonlySet<string>;

  constructor(publicUrl: string, allowedOrigins: readonly string[]) {
    this.origins = new Set([publicUrl, ...allowedOrigins].map((url) => new URL(url).origin));
  }

  /** PUBLIC_URL's origin and ALLOWED_ORIGINS (for CORS). */
  get listedOrigins(): string[] {
    return [...this.origins];
  }

  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.origins.has(origin)) return true;
    try {
      const url = new URL(origin);
      return url.origin === origin && host !== undefined && url.host === host.toLowerCase();
    } catch {
      return false;
    }
  }
}

function refuse(res: Response, statusCode: number, error: string, message: string): void {
  res.status(statusCode).json({ statusCode, error, message });
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isJson(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * CSRF defence for every state-changing request (POST, PUT, PATCH, DELETE): a foreign `Origin` is
 * refused (403) and a body must be JSON (415 otherwise, so an HTML form, which can only send
 * urlencoded, multipart or text/plain bodies, never reaches a route). Installed before the routes.
 */
export function stateChangeGuard(policy: OriginPolicy): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    if (!policy.allows(origin, req.headers.host)) {
      return refuse(
        res,
        403,
        'Forbidden',
        `Cross-origin request refused: Origin ${origin} is not allowed (ALLOWED_ORIGINS lists the portals that may embed Parley)`,
      );
    }
    if (hasBody(req) && !isJson(req.headers['content-type'])) {
      return refuse(
        res,
        415,
        'Unsupported Media Type',
        'Request bodies must be JSON (Content-Type: application/json)',
      );
    }
    next();
  };
}
