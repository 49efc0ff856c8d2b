import { Body, Controller, Get, Header, Param, Put, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { UserProfile, UserSummary } from '@parley/protocol';
import type { Response } from 'express';
import { CurrentUser, Public } from '../auth/auth.decorators';
import { SetPresenceDto, UserProfileDto, UserSummaryDto } from '../dto/directory.dto';
import type { UserEntity } from '../entities';
import { UserService } from '../services/user.service';
import { avatarSvg } from '../util/avatar';

@ApiTags('users')
@ApiCookieAuth()
@Controller('api')
export class UsersController {
  constructor(private readonly users: UserService) {}

  @Get('users')
  @ApiOperation({ summary: 'Every user of the directory, by display name' })
  @ApiOkResponse({ type: [UserSummaryDto] })
  list(): Promise<UserSummary[]> {
    return this.users.list();
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'Profile of a user' })
  @ApiOkResponse({ type: UserProfileDto })
  profile(@Param('id') id: string): Promise<UserProfile> {
    return this.users.profile(id);
  }

  @Public()
  @Get('users/:id/avatar.svg')
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'Avatar of a user: initials on a colour derived from the id (public)' })
  async avatar(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const user = await this.users.findEntity(id);
    res.type('image/svg+xml').send(avatarSvg(user.id, user.displayName));
  }

  @Put('me/presence')
  @ApiOperation({ summary: 'Set my presence; pushed to everyone as presence.changed' })
  @ApiOkResponse({ type: UserSummaryDto })
  setPresence(@CurrentUser() user: UserEntity, @Body() body: SetPresenceDto): Promise<UserSummary> {
    return this.users.setPresence(user.id, body.presence);
  }
}
