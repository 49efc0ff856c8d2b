import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SESSION_COOKIE } from '@parley/protocol';
import { AuthService } from '../services/auth.service';
import { readBearer, readCookie } from '../util/cookies';
import { type AuthenticatedRequest, IS_PUBLIC } from './auth.decorators';

/** How a token arrived: a bearer token is refused in the cookie (AuthService.issueBearer). */
export type TokenCarrier = 'bearer' | 'cookie';

/** The session token of a request and its carrier: `Authorization: Bearer` first, then the session cookie. */
export function presentedToken(headers: {
  authorization?: string;
  cookie?: string;
}): { token: string; via: TokenCarrier } | undefined {
  const bearer = readBearer(headers.authorization);
  if (bearer) return { token: bearer, via: 'bearer' };
  const cookie = readCookie(headers.cookie, SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}

/** The session token of a request: `Authorization: Bearer` first, then the session cookie. */
export function sessionTokenOf(headers: { authorization?: string; cookie?: string }): string | undefined {
  return presentedToken(headers)?.token;
}

/**
 * Requires a valid session on every HTTP route not marked {@link Public}. Registered globally by
 * `DirectoryModule` (APP_GUARD); socket connections are authenticated by the gateway.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') {
      return true;
    }
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = presentedToken(request.headers);
    const signedIn = await this.auth.authenticateSession(presented?.token, presented?.via);
    const user = signedIn?.user;
    if (signedIn) {
      request.user = signedIn.user;
      request.parleySession = { id: signedIn.sessionId, expiresAt: signedIn.expiresAt };
    }
    if (isPublic) {
      return true;
    }
    if (!user) {
      throw new UnauthorizedException('Sign in required');
    }
    return true;
  }
}
