import { ConfigurableModuleBuilder } from '@nestjs/common';

export interface CallsModuleOptions {
  /** A ringing call with no answer after this many seconds ends `missed` (default 30). */
  ringTimeoutSeconds?: number;
  /**
   * A participant whose last tab disconnected leaves their calls after this many seconds unless a
   * tab reconnects (default 20): a reload or a network blip does not end the call.
   */
  reconnectGraceSeconds?: number;
  /** Group calls: the most participants joined at once (default 50); a join past it is refused. */
  maxParticipants?: number;
  /** Folder of the call recordings (created at start; default `data/recordings` of the working directory). */
  recordingsDir?: string;
  /**
   * Recordings stop by themselves after this many seconds. Unset: the provider's max recording
   * duration (the admin's setting). Meant for tests and development.
   */
  recordingMaxSeconds?: number | null;
  /** The host is reminded this many seconds before a recording's limit (default 600). */
  recordingReminderSeconds?: number;
}

export const DEFAULT_RING_TIMEOUT_SECONDS = 30;
export const DEFAULT_RECONNECT_GRACE_SECONDS = 20;
export const DEFAULT_MAX_PARTICIPANTS = 50;
export const DEFAULT_RECORDING_REMINDER_SECONDS = 600;

export const { ConfigurableModuleClass: CallsConfigurableModule, MODULE_OPTIONS_TOKEN: CALLS_OPTIONS } =
  new ConfigurableModuleBuilder<CallsModuleOptions>().setClassMethodName('forRoot').build();
