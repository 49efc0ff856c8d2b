import { Injectable } from '@nestjs/common';
import {
  PREFERENCE_CONTEXTS,
  type PreferenceContext,
  type UserPreferences,
  type UserPreferencesUpdate,
} from '@parley/protocol';
import { PreferenceRepository } from '../repositories';

export const DEFAULT_PREFERENCES: UserPreferences = {
  lastProvider: {},
  micEnabled: true,
  cameraEnabled: true,
};

function parse(data: string | undefined): UserPreferences {
  if (!data) return structuredClone(DEFAULT_PREFERENCES);
  try {
    const raw = JSON.parse(data) as Partial<UserPreferences>;
    const lastProvider: UserPreferences['lastProvider'] = {};
    for (const context of PREFERENCE_CONTEXTS) {
      const value = raw.lastProvider?.[context];
      if (typeof value === 'string') lastProvider[context] = value;
    }
    return {
      lastProvider,
      micEnabled: typeof raw.micEnabled === 'boolean' ? raw.micEnabled : true,
      cameraEnabled: typeof raw.cameraEnabled === 'boolean' ? raw.cameraEnabled : true,
    };
  } catch {
    return structuredClone(DEFAULT_PREFERENCES);
  }
}

/**
 * Per-user preferences (last provider per pulldown context, microphone/camera for the next call),
 * stored server-side so they follow the user across browsers. Updates of one user are serialized.
 */
@Injectable()
export class PreferencesService {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly rows: PreferenceRepository) {}

  async get(userId: string): Promise<UserPreferences> {
    await this.chains.get(userId);
    return parse((await this.rows.findByUser(userId))?.data);
  }

  /** Applies a patch (already validated) and returns the new preferences. */
  update(userId: string, patch: UserPreferencesUpdate): Promise<UserPreferences> {
    const run = (this.chains.get(userId) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const current = parse((await this.rows.findByUser(userId))?.data);
        for (const [context, value] of Object.entries(patch.lastProvider ?? {}) as [
          PreferenceContext,
          string | null | undefined,
        ][]) {
          if (value === null) delete current.lastProvider[context];
          else if (typeof value === 'string') current.lastProvider[context] = value;
        }
        if (patch.micEnabled !== undefined) current.micEnabled = patch.micEnabled;
        if (patch.cameraEnabled !== undefined) current.cameraEnabled = patch.cameraEnabled;
        await this.rows.save({ userId, data: JSON.stringify(current), updatedAt: new Date().toISOString() });
        return current;
      });
    this.chains.set(userId, run);
    void run
      .finally(() => {
        if (this.chains.get(userId) === run) this.chains.delete(userId);
      })
      .catch(() => undefined);
    return run;
  }
}
