export * from './lib/call-machine';
export * from './lib/calls.module';
export * from './lib/calls.options';
export * from './lib/entities';
export * from './lib/gateway/calls.gateway';
export * from './lib/migrations';
export * from './lib/services/call-admission';
export * from './lib/services/call-commands.service';
export * from './lib/services/call-events.service';
export * from './lib/services/call-media-controls.service';
export * from './lib/services/call-history.service';
export * from './lib/services/call-lifecycle.service';
export * from './lib/services/call.service';
export * from './lib/services/group-calls.service';
export {
  LiveCalls,
  type ClaimConflict,
  type LiveCall,
  type SharedCallIndex,
} from './lib/services/live-calls';
export * from './lib/services/one-to-one-calls.service';
export * from './lib/services/preferences.service';
export * from './lib/services/recording-deletion.service';
export * from './lib/services/recording.service';
export * from './lib/services/retention-settings.service';
export * from './lib/services/retention-sweep.service';
export * from './lib/guests/guest-access';
export * from './lib/guests/guest-links.service';
export * from './lib/guests/guest-lobby.service';
export * from './lib/guests/guest-settings.service';
export * from './lib/guests/guest-tokens';
