import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallsConfigurableModule } from './calls.options';
import { CallsController } from './controllers/calls.controller';
import { RecordingsController } from './controllers/recordings.controller';
import { RetentionController } from './controllers/retention.controller';
import { CALLS_ENTITIES } from './entities';
import { CallsGateway } from './gateway/calls.gateway';
import { GuestLinks } from './guests/guest-links.service';
import { GuestLobby } from './guests/guest-lobby.service';
import { GuestSettingsService } from './guests/guest-settings.service';
import { GuestSocketAuth } from './guests/guest-socket-auth';
import { GuestThrottle } from './guests/guest-throttle';
import { GuestSettingsController, GuestsController } from './guests/guests.controller';
import { GuestsGateway } from './guests/guests.gateway';
import { CallRepository, PreferenceRepository, RecordingRepository } from './repositories';
import { CallAdmission } from './services/call-admission';
import { CallCommands } from './services/call-commands.service';
import { CallEvents } from './services/call-events.service';
import { CallMediaControls } from './services/call-media-controls.service';
import { CallHistory } from './services/call-history.service';
import { CallImAccounts } from './services/call-im-accounts.service';
import { CallModeration } from './services/call-moderation.service';
import { CallLifecycle } from './services/call-lifecycle.service';
import { CallService } from './services/call.service';
import { GroupCalls } from './services/group-calls.service';
import { LiveCallFactory } from './services/live-call.factory';
import { LiveCalls } from './services/live-calls';
import { OneToOneCalls } from './services/one-to-one-calls.service';
import { PreferencesService } from './services/preferences.service';
import { RecordingDeletion } from './services/recording-deletion.service';
import { RecordingService } from './services/recording.service';
import { RetentionSettingsService } from './services/retention-settings.service';
import { RetentionSweep } from './services/retention-sweep.service';

/**
 * The call services (shared lifecycle, one-to-one, group, moderation, recording), their socket
 * gateway (`call.*`), call history and user preferences.
 * Needs: a TypeORM root connection with {@link CALLS_ENTITIES} and `CALLS_MIGRATIONS`, and the
 * directory's `UserService` and the conferencing `ProviderRegistry` injectable here (the app
 * imports `DirectoryModule` and `ConferencingModule` as global modules). Global itself, so a
 * connector (e.g. the built-in WebRTC one) can ask `CallLifecycle.isJoined`.
 */
@Module({
  imports: [TypeOrmModule.forFeature(CALLS_ENTITIES)],
  controllers: [
    CallsController,
    RecordingsController,
    RetentionController,
    GuestsController,
    GuestSettingsController,
  ],
  providers: [
    CallRepository,
    PreferenceRepository,
    RecordingRepository,
    CallEvents,
    CallHistory,
    PreferencesService,
    CallMediaControls,
    { provide: LiveCalls, useFactory: () => new LiveCalls() },
    LiveCallFactory,
    CallAdmission,
    CallImAccounts,
    CallLifecycle,
    OneToOneCalls,
    GroupCalls,
    CallService,
    CallModeration,
    RecordingService,
    RecordingDeletion,
    RetentionSettingsService,
    RetentionSweep,
    CallCommands,
    CallsGateway,
    // Guests by link (docs/guests.md).
    GuestSettingsService,
    GuestLinks,
    GuestLobby,
    GuestThrottle,
    GuestSocketAuth,
    GuestsGateway,
  ],
  exports: [
    GuestLinks,
    GuestSettingsService,
    CallAdmission,
    CallService,
    CallLifecycle,
    OneToOneCalls,
    GroupCalls,
    CallHistory,
    PreferencesService,
    CallEvents,
    CallMediaControls,
    RecordingService,
    RecordingDeletion,
    RetentionSettingsService,
    RetentionSweep,
    LiveCalls,
  ],
})
export class CallsModule extends CallsConfigurableModule {}
