import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { UserEntity } from '../entities';

export const IS_PUBLIC = 'parley:isPublic';

/** Marks a route (or controller) as reachable without a session. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface AuthenticatedRequest extends Request {
  user?: UserEntity;
  /** The server-side session of the request and its expiry (ISO), set with `user`. */
  parleySession?: { id: string; expiresAt: string };
}

/** The signed-in user of the request (set by {@link SessionGuard}). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): UserEntity => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) {
    throw new Error('CurrentUser used on a route without SessionGuard');
  }
  return user;
});
