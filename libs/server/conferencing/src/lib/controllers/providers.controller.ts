import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { IceConfig, ProviderDescriptor } from '@parley/protocol';
import { CurrentUser, type UserEntity } from '@parley/server-directory';
import { IceService } from '../services/ice.service';
import { ProviderRegistry } from '../services/provider-registry.service';

/** What every signed-in user may see: usable providers, their client halves, ICE configuration. */
@ApiTags('conferencing')
@Controller()
export class ProvidersController {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly ice: IceService,
  ) {}

  /** The providers the signed-in user may call with, in the admins' order. */
  @Get('api/providers')
  providers(): ProviderDescriptor[] {
    return this.registry.usable();
  }

  /** The client half (ES module) of an active provider, for `import()`. */
  @Get('api/providers/:type/client.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'private, max-age=3600')
  @Header('X-Content-Type-Options', 'nosniff')
  client(@Param('type') type: string): Promise<string> {
    return this.registry.clientModule(type);
  }

  /** Enabled ICE servers with short-lived TURN credentials for the signed-in user. */
  @Get('api/ice-config')
  @Header('Cache-Control', 'no-store')
  iceConfig(@CurrentUser() user: UserEntity): IceConfig {
    return this.ice.clientConfig(user.id);
  }
}
