import { Injectable } from '@nestjs/common';
import type { ParticipantMediaSummary } from '@parley/protocol';

/**
 * What the call service asks of a provider's media layer for group calls: enforce host actions on
 * the media itself and answer `/call stats`. The app registers one per provider that has it (the
 * built-in WebRTC connector); without one, host actions are only pushed to the clients.
 */
export interface CallMediaControl {
  /** Pause the user's microphone producers (host mute). */
  muteUser(callId: string, userId: string): void | Promise<void>;
  /** Close the user's screen-share producers. */
  stopScreenShare(callId: string, userId: string): void | Promise<void>;
  /** The user's transports/producers/consumers with their stats, as JSON. */
  stats(callId: string, userId: string): Promise<Record<string, unknown>>;
  /** The admins' Calls tab figures of the user (bitrates, loss, relay or direct); absent: none. */
  summary?(callId: string, userId: string): Promise<ParticipantMediaSummary>;
  /**
   * Server-side recording of the call's media into one file (absent: the provider cannot record).
   * Rejects with {@link MediaRecordingUnavailableError} when it cannot start (ffmpeg missing, no
   * media server), with the reason in words an admin can act on.
   */
  record?(options: MediaRecordingOptions): Promise<MediaRecording>;
}

export interface MediaRecordingOptions {
  callId: string;
  /** Absolute path of the file to write (its folder exists); the extension matches `mimeType`. */
  filePath: string;
  /**
   * Called at most once when the recording stops on its own (ffmpeg died, disk full) with a message
   * for the host. Then call {@link MediaRecording.stop} to get what was recorded (kept playable).
   */
  onFailure(message: string): void;
}

/** A recording in progress. */
export interface MediaRecording {
  /** MIME type of the file, e.g. `video/webm`. */
  readonly mimeType: string;
  /** The provider's max recording duration (admin setting); the call service stops it then. */
  readonly maxDurationMs: number;
  /**
   * Stops (idempotent; also after a failure): the recorder finishes the file, leaves no process or
   * temp file behind and answers what was written. `sizeBytes` 0 means nothing usable was recorded.
   */
  stop(): Promise<MediaRecordingResult>;
}

export interface MediaRecordingResult {
  filePath: string;
  sizeBytes: number;
  durationMs: number;
  mimeType: string;
}

/** The recording cannot start on this server (the message says why and what to do). */
export class MediaRecordingUnavailableError extends Error {
  override readonly name = 'MediaRecordingUnavailableError';
}

@Injectable()
export class CallMediaControls {
  private readonly controls = new Map<string, CallMediaControl>();

  register(providerType: string, control: CallMediaControl): void {
    this.controls.set(providerType, control);
  }

  get(providerType: string): CallMediaControl | null {
    return this.controls.get(providerType) ?? null;
  }
}
