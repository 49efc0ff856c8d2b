import { Injectable, inject, signal } from '@angular/core';
import type { PreferenceContext, UserPreferences } from '@parley/protocol';
import { PARLEY_WIDGET_CONFIG } from '../config/widget-config';
import { ParleyWidgetHost } from '../host/widget-host';

/**
 * The signed-in user's call preferences, stored server-side (`/api/me/preferences`) so they follow
 * the user across tabs, browsers and reloads: the last provider chosen per pulldown context, and
 * whether the microphone and camera start on.
 */
@Injectable({ providedIn: 'root' })
export class PreferencesStore {
  private readonly host = inject(ParleyWidgetHost);
  private readonly config = inject(PARLEY_WIDGET_CONFIG);
  private readonly prefsSignal = signal<UserPreferences | null>(null);
  private loading: Promise<UserPreferences> | null = null;
  private loadedFor: string | null = null;

  readonly preferences = this.prefsSignal.asReadonly();

  /** Loads once per signed-in user (again after `refresh`). */
  load(): Promise<UserPreferences> {
    const me = this.host.me()?.id ?? null;
    const current = this.prefsSignal();
    if (current && this.loadedFor === me) return Promise.resolve(current);
    this.loading ??= this.host
      .preferences()
      .then((prefs) => {
        this.prefsSignal.set(prefs);
        this.loadedFor = me;
        return prefs;
      })
      .catch(() => this.fallback())
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** Forgets the cached copy (sign-out, or another tab may have changed it). */
  refresh(): Promise<UserPreferences> {
    this.prefsSignal.set(null);
    return this.load();
  }

  lastProvider(context: PreferenceContext): string | null {
    return this.prefsSignal()?.lastProvider[context] ?? null;
  }

  async setLastProvider(context: PreferenceContext, providerType: string): Promise<void> {
    const current = this.prefsSignal() ?? this.fallback();
    this.prefsSignal.set({ ...current, lastProvider: { ...current.lastProvider, [context]: providerType } });
    try {
      this.prefsSignal.set(await this.host.updatePreferences({ lastProvider: { [context]: providerType } }));
    } catch (err) {
      console.warn('[parley] could not save the provider choice', err);
    }
  }

  async setMedia(micEnabled: boolean, cameraEnabled: boolean): Promise<void> {
    const current = this.prefsSignal() ?? this.fallback();
    if (current.micEnabled === micEnabled && current.cameraEnabled === cameraEnabled) return;
    this.prefsSignal.set({ ...current, micEnabled, cameraEnabled });
    try {
      this.prefsSignal.set(await this.host.updatePreferences({ micEnabled, cameraEnabled }));
    } catch (err) {
      console.warn('[parley] could not save the microphone/camera choice', err);
    }
  }

  private fallback(): UserPreferences {
    return {
      lastProvider: {},
      micEnabled: this.config.defaultMicEnabled,
      cameraEnabled: this.config.defaultCameraEnabled,
    };
  }
}
