import { InjectionToken } from '@angular/core';

/** Defaults of the widget; override with `provideParleyWidget({ ... })`. */
export interface ParleyWidgetConfig {
  /** Play ringback, ringtone and hang-up sounds (WebAudio, no files). */
  sounds: boolean;
  /** Sound volume, 0..1. */
  volume: number;
  /** How long an end message ("declined", "no answer", …) stays before the window closes (ms). */
  endMessageMs: number;
  /** How long a missed-call notice stays (ms); 0 keeps it until dismissed. */
  missedNoticeMs: number;
  /** Microphone and camera for a user who never chose (then remembered per user). */
  defaultMicEnabled: boolean;
  defaultCameraEnabled: boolean;
  /**
   * Before joining a group call, a check with the camera preview, a microphone level meter,
   * device pickers (remembered in the browser), a speaker test and the mic/camera switches.
   * Providers whose client half gets no media itself (link-out ones) join directly.
   */
  prejoin: boolean;
}

export const DEFAULT_WIDGET_CONFIG: ParleyWidgetConfig = {
  sounds: true,
  volume: 0.25,
  endMessageMs: 3500,
  missedNoticeMs: 0,
  defaultMicEnabled: true,
  defaultCameraEnabled: true,
  prejoin: true,
};

export const PARLEY_WIDGET_CONFIG = new InjectionToken<ParleyWidgetConfig>('PARLEY_WIDGET_CONFIG', {
  providedIn: 'root',
  factory: () => DEFAULT_WIDGET_CONFIG,
});
