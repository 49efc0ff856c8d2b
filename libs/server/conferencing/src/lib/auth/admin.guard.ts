import {
  applyDecorators,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { SocketError } from '@parley/connector-sdk';
import { type AuthenticatedRequest, UserService } from '@parley/server-directory';
import { from, type Observable, switchMap, throwError } from 'rxjs';
import type { Socket } from 'socket.io';

export const IS_ADMIN_ONLY = 'parley:adminOnly';
export const ADMIN_REQUIRED = 'Administrators only';

/**
 * Restricts a controller/route or a socket message handler to members of the admins group: HTTP
 * answers 401 without a session (the global session guard, as on every other route) and 403 to
 * signed-in users outside the group; a socket message is refused `forbidden` (the socket edge
 * replies `{ ok: false, error: { code: 'forbidden' } }`; anonymous sockets never connect).
 */
export const AdminOnly = () =>
  applyDecorators(
    SetMetadata(IS_ADMIN_ONLY, true),
    UseGuards(AdminGuard),
    UseInterceptors(AdminSocketInterceptor),
  );

/** HTTP half of {@link AdminOnly}: runs after the global session guard set `request.user`. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly users: UserService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw new UnauthorizedException('Sign in required');
    if (!(await this.users.toProfile(user)).isAdmin) throw new ForbiddenException(ADMIN_REQUIRED);
    return true;
  }
}

/** Socket half of {@link AdminOnly}: a non-admin's message never reaches the handler. */
@Injectable()
export class AdminSocketInterceptor implements NestInterceptor {
  constructor(private readonly users: UserService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'ws') return next.handle();
    const userId = (context.switchToWs().getClient<Socket>().data as { userId?: string }).userId;
    return from(this.isAdmin(userId)).pipe(
      switchMap((admin) =>
        admin ? next.handle() : throwError(() => new SocketError('forbidden', ADMIN_REQUIRED)),
      ),
    );
  }

  private async isAdmin(userId: string | undefined): Promise<boolean> {
    if (!userId) return false;
    try {
      return (await this.users.profile(userId)).isAdmin;
    } catch {
      return false;
    }
  }
}
