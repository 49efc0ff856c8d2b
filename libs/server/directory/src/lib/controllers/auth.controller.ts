import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SESSION_COOKIE, type SessionInfo, type SessionResponse } from '@parley/protocol';
import type { Request, Response } from 'express';
import { type AuthenticatedRequest, CurrentUser, Public } from '../auth/auth.decorators';
import { sessionTokenOf } from '../auth/session.guard';
import { DIRECTORY_OPTIONS, type DirectoryModuleOptions } from '../directory.options';
import { LoginDto, PortalTokenDto, SessionInfoDto, SessionResponseDto, SetupDto } from '../dto/directory.dto';
import type { UserEntity } from '../entities';
import { AuthService } from '../services/auth.service';
import { FirstAdminSetup } from '../services/first-admin-setup.service';
import { LoginThrottle, TooManyAttemptsException } from '../services/login-throttle.service';
import { UserService } from '../services/user.service';

/** The client address of a request (Express's `req.ip`: the socket's peer unless `trust proxy` is set). */
function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Sign-in, sign-out and the current session. Browsers (requests with an `Origin` header) get the
 * httpOnly session cookie only; other clients also get the token in the body, for a bearer header.
 */
@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UserService,
    private readonly throttle: LoginThrottle,
    private readonly setup: FirstAdminSetup,
    @Inject(DIRECTORY_OPTIONS) private readonly options: DirectoryModuleOptions,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Sign in with a username and password; sets the session cookie (the token in the body for non-browser clients)',
  })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiUnauthorizedResponse({ description: 'Invalid username or password' })
  @ApiTooManyRequestsResponse({
    description: 'Too many attempts for this username from this address (Retry-After)',
  })
  async login(
    @Body() body: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionInfo> {
    const ip = clientIp(req);
    await this.attempt(body.username, ip, res);
    return this.signedIn(req, res, await this.auth.login(body.username, body.password, { ip }));
  }

  @Public()
  @Post('portal-token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a token signed by the host portal for a session (single sign-on)' })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiTooManyRequestsResponse({ description: 'Too many exchanges from this address (Retry-After)' })
  async portalToken(
    @Body() body: PortalTokenDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionInfo> {
    const ip = clientIp(req);
    await this.refusedPastLimit(res, () => this.throttle.portalAttempt(ip));
    return this.signedIn(req, res, await this.auth.portalLogin(body.token, { ip }));
  }

  @Public()
  @Post('setup')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Create the first administrator with the one-time setup token from the server log (empty directory only)',
  })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiConflictResponse({ description: 'The server is set up already' })
  async firstAdmin(
    @Body() body: SetupDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionInfo> {
    // The setup token is guessed per address like a password (`(setup)` is no valid username).
    await this.attempt('(setup)', clientIp(req), res);
    return this.signedIn(req, res, await this.setup.setUp(body));
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke the session (its token stops working, its sockets close) and clear the cookie',
  })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.revoke(sessionTokenOf(req.headers));
    res.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: !!this.options.secureCookie,
    });
  }

  @Get('session')
  @ApiCookieAuth()
  @ApiOperation({ summary: 'The current session, without its token (401 without one)' })
  @ApiOkResponse({ type: SessionInfoDto })
  async session(@CurrentUser() user: UserEntity, @Req() req: AuthenticatedRequest): Promise<SessionInfo> {
    return { user: await this.users.toProfile(user), expiresAt: req.parleySession?.expiresAt ?? '' };
  }

  /** Counts a sign-in attempt (LoginThrottle); past the limit: 429 with `Retry-After`. */
  private async attempt(username: string, ip: string, res: Response): Promise<void> {
    await this.refusedPastLimit(res, () => this.throttle.attempt(username, ip));
  }

  private async refusedPastLimit(res: Response, count: () => Promise<void>): Promise<void> {
    try {
      await count();
    } catch (error) {
      if (error instanceof TooManyAttemptsException)
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }

  /** Sets the session cookie; a client that is not a browser (no `Origin`) also gets a bearer token. */
  private async signedIn(req: Request, res: Response, session: SessionResponse): Promise<SessionInfo> {
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: !!this.options.secureCookie,
      path: '/',
      expires: new Date(session.expiresAt),
    });
    if (req.headers.origin !== undefined) {
      return { user: session.user, expiresAt: session.expiresAt };
    }
    return this.auth.issueBearer(session);
  }
}
