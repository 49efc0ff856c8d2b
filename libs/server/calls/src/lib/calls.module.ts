import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallsConfigurableModule } from './calls.options';
import { CallsController } from './controllers/calls.controller';
import { RecordingsController } from './controllers/recordings.controller';
import { CALLS_ENTITIES } from './entities';
import { CallsGateway } from './gateway/calls.gateway';
import { CallCommands } from './services/call-commands.service';
import { CallEvents } from './services/call-events.service';
import { CallMediaControls } from './services/call-media-controls.service';
import { CallHistory } from './services/call-history.service';
import { CallModeration } from './services/call-moderation.service';
import { CallService } from './services/call.service';
import { PreferencesService } from './services/preferences.service';
import { RecordingService } from './services/recording.service';

/**
 * The call service, its socket gateway (`call.*`), call history and user preferences.
 * Needs: a TypeORM root connection with {@link CALLS_ENTITIES} and `CALLS_MIGRATIONS`, and the
 * directory's `UserService` and the conferencing `ProviderRegistry` injectable here (the app
 * imports `DirectoryModule` and `ConferencingModule` as global modules). Global itself, so a
 * connector (e.g. the built-in WebRTC one) can ask `CallService.isJoined`.
 */
@Module({
  imports: [TypeOrmModule.forFeature(CALLS_ENTITIES)],
  controllers: [CallsController, RecordingsController],
  providers: [
    CallEvents,
    CallHistory,
    PreferencesService,
    CallMediaControls,
    CallService,
    CallModeration,
    RecordingService,
    CallCommands,
    CallsGateway,
  ],
  exports: [CallService, CallHistory, PreferencesService, CallEvents, CallMediaControls, RecordingService],
})
export class CallsModule extends CallsConfigurableModule {}
