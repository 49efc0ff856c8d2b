import {
  applyDecorators,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { SocketError } from '@parley/connector-sdk';
import { type AuthenticatedRequest, Public, UserService } from '@parley/server-directory';
import { from, type Observable, switchMap, throwError } from 'rxjs';
import type { Socket } from 'socket.io';

export const IS_ADMIN_ONLY = 'parley:adminOnly';
export const ADMIN_REQUIRED = 'Administrators only';

/**
 * Restricts a controller/route or a socket message handler to members of the admins group:
 * HTTP answers 403 to everyone else, signed in or not; a socket message is refused `forbidden` (the
 * socket edge replies `{ ok: false, error: { code: 'forbidden' } }`; anonymous sockets never connect).
 *
 * `Public()` only tells the global session guard not to answer 401 itself: it still reads the
 * session, and {@link AdminGuard} refuses any request without an admin's session.
 */
export const AdminOnly = () =>
  applyDecorators(
    Public(),
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
    if (!user || !(await this.users.toProfile(user)).isAdmin) throw new ForbiddenException(ADMIN_REQUIRED);
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
