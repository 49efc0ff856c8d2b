import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { UserImAccount } from '@parley/protocol';
import { CurrentUser } from '../auth/auth.decorators';
import { SetImAccountDto, UserImAccountDto } from '../dto/directory.dto';
import type { UserEntity } from '../entities';
import { ImAccountService } from '../services/im-account.service';

@ApiTags('users')
@ApiCookieAuth()
@Controller('api')
export class ImAccountsController {
  constructor(private readonly accounts: ImAccountService) {}

  @Get('users/:id/im-accounts')
  @ApiOperation({ summary: "A user's IM accounts, one per call provider (visible like the profile)" })
  @ApiOkResponse({ type: [UserImAccountDto] })
  @ApiNotFoundResponse({ description: 'Unknown user' })
  list(@Param('id') id: string): Promise<UserImAccount[]> {
    return this.accounts.list(id);
  }

  @Put('me/im-accounts/:type')
  @ApiOperation({ summary: "Set my account for an active provider's IM field (checked against its pattern)" })
  @ApiOkResponse({ type: UserImAccountDto })
  @ApiBadRequestResponse({ description: 'Unknown provider, provider without an IM field, or invalid value' })
  set(
    @CurrentUser() user: UserEntity,
    @Param('type') type: string,
    @Body() body: SetImAccountDto,
  ): Promise<UserImAccount> {
    return this.accounts.set(user.id, type, body.value);
  }

  @Delete('me/im-accounts/:type')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove my account for a provider' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No account for this provider' })
  remove(@CurrentUser() user: UserEntity, @Param('type') type: string): Promise<void> {
    return this.accounts.remove(user.id, type);
  }
}
