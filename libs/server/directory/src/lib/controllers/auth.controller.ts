import { Body, Controller, Get, HttpCode, Inject, Post, Res } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SESSION_COOKIE, type SessionResponse } from '@parley/protocol';
import type { Response } from 'express';
import { CurrentUser, Public } from '../auth/auth.decorators';
import { DIRECTORY_OPTIONS, type DirectoryModuleOptions } from '../directory.options';
import { LoginDto, PortalTokenDto, SessionResponseDto } from '../dto/directory.dto';
import type { UserEntity } from '../entities';
import { AuthService } from '../services/auth.service';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(DIRECTORY_OPTIONS) private readonly options: DirectoryModuleOptions,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a username and password; sets the session cookie' })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiUnauthorizedResponse({ description: 'Invalid username or password' })
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) res: Response): Promise<SessionResponse> {
    return this.withCookie(res, await this.auth.login(body.username, body.password));
  }

  @Public()
  @Post('portal-token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a token signed by the host portal for a session (single sign-on)' })
  @ApiOkResponse({ type: SessionResponseDto })
  async portalToken(
    @Body() body: PortalTokenDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionResponse> {
    return this.withCookie(res, await this.auth.portalLogin(body.token));
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Clear the session cookie' })
  logout(@Res({ passthrough: true }) res: Response): void {
    res.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: !!this.options.secureCookie,
    });
  }

  @Get('session')
  @ApiCookieAuth()
  @ApiOperation({ summary: 'The current session (401 without one)' })
  @ApiOkResponse({ type: SessionResponseDto })
  session(@CurrentUser() user: UserEntity): Promise<SessionResponse> {
    return this.auth.openSession(user);
  }

  private withCookie(res: Response, session: SessionResponse): SessionResponse {
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: !!this.options.secureCookie,
      path: '/',
      expires: new Date(session.expiresAt),
    });
    return session;
  }
}
