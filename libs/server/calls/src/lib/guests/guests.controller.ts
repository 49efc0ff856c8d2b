import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  HttpException,
  HttpStatus,
  Param,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  GUEST_COOKIE,
  type GuestJoinResponse,
  type GuestLinkProblem,
  type GuestLinkStatus,
  type GuestSettings,
  type GuestSettingsUpdate,
} from '@parley/protocol';
import { AdminOnly, FieldValidationPipe, ProviderRegistry } from '@parley/server-conferencing';
import { CurrentUser, Public, readCookie, type UserEntity } from '@parley/server-directory';
import type { Request, Response } from 'express';
import { GuestJoinDto, GuestSettingsDto } from './guests.dto';
import { GUEST_LINK_MESSAGES, GuestLinkRefused, GuestLinks } from './guest-links.service';
import { GuestSettingsService } from './guest-settings.service';
import { GuestThrottle } from './guest-throttle';

const PROBLEM_STATUS: Record<GuestLinkProblem, HttpStatus> = {
  invalid: HttpStatus.BAD_REQUEST,
  expired: HttpStatus.GONE,
  revoked: HttpStatus.GONE,
  ended: HttpStatus.GONE,
  disabled: HttpStatus.FORBIDDEN,
};

function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** A refused link as an HTTP answer: the status of its problem, the message the guest page shows. */
function refusal(error: unknown): unknown {
  if (!(error instanceof GuestLinkRefused)) return error;
  const status = PROBLEM_STATUS[error.problem];
  return new HttpException(
    { statusCode: status, message: GUEST_LINK_MESSAGES[error.problem], problem: error.problem },
    status,
  );
}

/**
 * The public side of guest links (docs/guests.md): the link's page state, opening a guest session
 * (the `parley_guest` cookie), the client half of the guest's call. Rate limited per address.
 */
@ApiTags('guests')
@Controller('api/guest')
export class GuestsController {
  constructor(
    private readonly links: GuestLinks,
    private readonly throttle: GuestThrottle,
    private readonly registry: ProviderRegistry,
  ) {}

  @Public()
  @Get('links/:token')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'What a guest link’s page shows: the call’s room, or why the link does not work' })
  async status(@Param('token') token: string, @Req() req: Request): Promise<GuestLinkStatus> {
    await this.throttle.attempt('lookup', clientIp(req));
    return this.links.status(token);
  }

  @Public()
  @Post('join')
  @HttpCode(200)
  @ApiBody({ type: GuestJoinDto })
  @ApiOperation({
    summary: 'Opens a guest session for the link (httpOnly cookie); the guest then waits in the lobby',
  })
  async join(
    @Body(new FieldValidationPipe(GuestJoinDto, 'Invalid guest request')) body: GuestJoinDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GuestJoinResponse> {
    await this.throttle.attempt('join', clientIp(req));
    try {
      const session = await this.links.openSession(body.token, body.displayName.trim());
      res.cookie(GUEST_COOKIE, session.cookie, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        path: '/',
        expires: session.expiresAt,
      });
      const { guest, roomTitle, callId } = session;
      return { guest, roomTitle, callId, expiresAt: session.expiresAt.toISOString() };
    } catch (error) {
      throw refusal(error);
    }
  }

  @Public()
  @Get('providers/:type/client.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'private, no-cache')
  @Header('X-Content-Type-Options', 'nosniff')
  async client(@Param('type') type: string, @Req() req: Request): Promise<string> {
    const session = await this.links
      .session(readCookie(req.headers.cookie, GUEST_COOKIE))
      .catch((error: unknown) => {
        throw refusal(error);
      });
    if (session.live.machine.info.providerType !== type) {
      throw new ForbiddenException('That is not the provider of your call');
    }
    return this.registry.clientModule(type);
  }
}

/** The admins' guest switch. Admins only (403 otherwise). */
@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/guests')
export class GuestSettingsController {
  constructor(private readonly settings: GuestSettingsService) {}

  @Get()
  @ApiOperation({ summary: 'Whether guests may join by link, and who may create links' })
  get(): Promise<GuestSettings> {
    return this.settings.get();
  }

  @Put()
  @ApiBody({ type: GuestSettingsDto })
  @ApiOperation({ summary: 'Changes the guest settings (a field left out stays); audited' })
  update(
    @Body(new FieldValidationPipe(GuestSettingsDto, 'Invalid guest settings')) body: GuestSettingsUpdate,
    @CurrentUser() user: UserEntity,
  ): Promise<GuestSettings> {
    return this.settings.update(body, user);
  }
}
