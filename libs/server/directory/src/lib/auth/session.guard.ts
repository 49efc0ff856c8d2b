import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SESSION_COOKIE } from '@parley/protocol';
import { AuthService } from '../services/auth.service';
import { readBearer, readCookie } from '../util/cookies';
import { type AuthenticatedRequest, IS_PUBLIC } from './auth.decorators';

/** The session token of a request: `Authorization: Bearer` first, then the session cookie. */
export function sessionTokenOf(headers: { authorization?: string; cookie?: string }): string | undefined {
  return readBearer(headers.authorization) ?? readCookie(headers.cookie, SESSION_COOKIE);
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
    const signedIn = await this.auth.authenticateSession(sessionTokenOf(request.headers));
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
