import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminGuard, AdminSocketInterceptor } from './auth/admin.guard';
import { ConferencingConfigurableModule } from './conferencing.options';
import { AdminController } from './controllers/admin.controller';
import { ProvidersController } from './controllers/providers.controller';
import { CONFERENCING_ENTITIES } from './entities';
import { ConferencingGateway } from './gateway/conferencing.gateway';
import {
  AuditLogRepository,
  ConferencingSettingRepository,
  IceServerRepository,
  ProviderConfigRepository,
} from './repositories';
import { AuditService } from './services/audit.service';
import { SignInAudit } from './services/sign-in-audit.service';
import { ConferencingEvents } from './services/conferencing-events.service';
import { IceService } from './services/ice.service';
import { ProviderRegistry } from './services/provider-registry.service';
import { SecretBox } from './services/secret-box.service';

/**
 * Provider registry, ICE servers and TURN credentials, the admin API, the providers socket push and
 * client-module serving. Needs: a TypeORM root connection with {@link CONFERENCING_ENTITIES} and
 * `CONFERENCING_MIGRATIONS`; the directory's `UserService` injectable here (import `DirectoryModule`
 * as a global module); and the connector modules of `options.connectors` imported by the app.
 * It never imports a concrete connector.
 */
@Module({
  imports: [TypeOrmModule.forFeature(CONFERENCING_ENTITIES)],
  controllers: [ProvidersController, AdminController],
  providers: [
    ProviderConfigRepository,
    IceServerRepository,
    ConferencingSettingRepository,
    AuditLogRepository,
    SecretBox,
    ConferencingEvents,
    AuditService,
    SignInAudit,
    IceService,
    ProviderRegistry,
    ConferencingGateway,
    AdminGuard,
    AdminSocketInterceptor,
  ],
  // The settings table is shared with the calls library (its retention settings).
  exports: [ProviderRegistry, IceService, SecretBox, AuditService, ConferencingSettingRepository],
})
export class ConferencingModule extends ConferencingConfigurableModule {}
