import type { ProviderConfigRepository } from '../repositories';
import { openProviderState, type ProviderState, refreshProviderState } from './provider-state';
import type { SecretBox } from './secret-box.service';

/**
 * Cluster mode: another node saved an admin change (active flag, settings, order) to the shared
 * `provider_configs`; this re-reads those rows into this node's in-memory states, the way the
 * registry's own `update`/`reorder` apply a change, without saving, auditing or pushing anything
 * (the node that made the change pushed `providers.changed` to every node's tabs). Returns the
 * types whose state changed.
 */
export async function reloadProviderStates(
  states: Map<string, ProviderState>,
  rows: ProviderConfigRepository,
  secretBox: SecretBox,
): Promise<string[]> {
  const changed: string[] = [];
  for (const row of await rows.list()) {
    const state = states.get(row.type);
    if (!state) continue;
    const stored = openProviderState(state.definition, state.source, row, (sealed) =>
      secretBox.decrypt(sealed),
    );
    const settingsChanged = JSON.stringify(stored.settings) !== JSON.stringify(state.settings);
    const activeChanged = stored.active !== state.active;
    if (!settingsChanged && !activeChanged && stored.position === state.position) continue;
    Object.assign(state, {
      active: stored.active,
      settings: stored.settings,
      position: stored.position,
      updatedAt: stored.updatedAt,
      updatedBy: stored.updatedBy,
      secretError: stored.secretError,
    });
    if (settingsChanged || activeChanged) {
      state.revision++;
      // New settings: this node's next health check (periodic, or an admin's Check) judges them.
      state.lastCheck = null;
    }
    refreshProviderState(state);
    changed.push(row.type);
  }
  return changed;
}
