import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
  BadRequestException,
} from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type {
  AdminIceServer,
  AdminIceSettings,
  AdminProvider,
  AdminProvidersResponse,
  AuditEntry,
  IceServerInput,
  IceServerTest,
  IceSettingsUpdate,
  ProviderHealth,
} from '@parley/protocol';
import { CurrentUser, type UserEntity } from '@parley/server-directory';
import { AdminOnly } from '../auth/admin.guard';
import { CreateIceServerDto, IceSettingsDto, UpdateIceServerDto } from '../dto/ice.dto';
import { AuditService } from '../services/audit.service';
import { IceService } from '../services/ice.service';
import { ProviderRegistry } from '../services/provider-registry.service';
import { FieldValidationPipe } from '../util/validation';

const ICE_SERVER = 'Invalid ICE server';

/**
 * The Web Conferencing admin API. Admins only (see {@link AdminOnly}). Bodies are refused with a 400
 * naming each bad field (`ValidationErrorResponse`): ICE input here, by its DTOs
 * ({@link FieldValidationPipe}); provider changes by the registry, against the provider's settings schema.
 */
@ApiTags('admin')
@AdminOnly()
@Controller('api/admin')
export class AdminController {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly ice: IceService,
    private readonly audit: AuditService,
  ) {}

  @Get('providers')
  providers(): AdminProvidersResponse {
    return this.registry.adminList();
  }

  @Put('providers')
  reorder(@Body() body: unknown, @CurrentUser() user: UserEntity): Promise<AdminProvidersResponse> {
    return this.registry.reorder(body, user);
  }

  @Get('providers/:type')
  provider(@Param('type') type: string): AdminProvider {
    return this.registry.admin(type);
  }

  @Put('providers/:type')
  update(
    @Param('type') type: string,
    @Body() body: unknown,
    @CurrentUser() user: UserEntity,
  ): Promise<AdminProvider> {
    return this.registry.update(type, body, user);
  }

  @Post('providers/:type/check')
  @HttpCode(200)
  check(@Param('type') type: string): Promise<ProviderHealth> {
    return this.registry.check(type);
  }

  @Get('ice-servers')
  iceServers(): AdminIceSettings {
    return this.ice.adminSettings();
  }

  @Post('ice-servers')
  @ApiBody({ type: CreateIceServerDto })
  createIceServer(
    @Body(new FieldValidationPipe(CreateIceServerDto, ICE_SERVER)) body: IceServerInput,
    @CurrentUser() user: UserEntity,
  ): Promise<AdminIceServer> {
    return this.ice.create(body, user);
  }

  @Put('ice-servers')
  @ApiBody({ type: IceSettingsDto })
  iceSettings(
    @Body(new FieldValidationPipe(IceSettingsDto, 'Invalid ICE settings')) body: IceSettingsUpdate,
    @CurrentUser() user: UserEntity,
  ): Promise<AdminIceSettings> {
    return this.ice.updateSettings(body, user);
  }

  @Put('ice-servers/:id')
  @ApiBody({ type: UpdateIceServerDto })
  updateIceServer(
    @Param('id') id: string,
    @Body(new FieldValidationPipe(UpdateIceServerDto, ICE_SERVER)) body: IceServerInput,
    @CurrentUser() user: UserEntity,
  ): Promise<AdminIceServer> {
    return this.ice.update(id, body, user);
  }

  @Delete('ice-servers/:id')
  @HttpCode(204)
  deleteIceServer(@Param('id') id: string, @CurrentUser() user: UserEntity): Promise<void> {
    return this.ice.remove(id, user);
  }

  /** That ONE server with 5-minute credentials, for the Test button (the browser gathers candidates). */
  @Post('ice-servers/:id/test')
  @HttpCode(200)
  testIceServer(@Param('id') id: string, @CurrentUser() user: UserEntity): IceServerTest {
    return this.ice.testConfig(id, user);
  }

  @Get('audit')
  auditLog(
    @Query('limit', new ParseIntPipe({ optional: true })) limit?: number,
    @Query('before') before?: string,
  ): Promise<AuditEntry[]> {
    if (limit !== undefined && (limit < 1 || limit > 200))
      throw new BadRequestException('limit must be 1-200');
    if (before !== undefined && Number.isNaN(Date.parse(before))) {
      throw new BadRequestException('before must be an ISO date-time');
    }
    return this.audit.list(limit ?? 50, before);
  }
}
