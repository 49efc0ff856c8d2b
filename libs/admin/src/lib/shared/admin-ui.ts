import { DestroyRef, type WritableSignal, inject } from '@angular/core';
import { ADMIN_CHANGES, AdminApiError } from '../api/admin-api.service';

/** Calls `load` whenever another admin or tab changes `area` (call it in a constructor). */
export function reloadOnAdminChange(area: 'providers' | 'ice', load: () => unknown): void {
  const sub = inject(ADMIN_CHANGES).subscribe((change) => {
    if (change.area === area) load();
  });
  inject(DestroyRef).onDestroy(() => sub.unsubscribe());
}

/** Runs `work`: its failure's message goes to `error`, a success clears it. Never throws. */
export async function showingErrors(
  error: WritableSignal<string | null>,
  work: () => Promise<unknown>,
): Promise<void> {
  try {
    await work();
    error.set(null);
  } catch (err) {
    error.set(AdminApiError.from(err).message);
  }
}

/** `ids` with the one at `index` moved by `delta` (up -1, down 1); null when it would leave the list. */
export function moved(ids: readonly string[], index: number, delta: -1 | 1): string[] | null {
  const target = index + delta;
  if (target < 0 || target >= ids.length) return null;
  const order = [...ids];
  [order[index], order[target]] = [order[target] as string, order[index] as string];
  return order;
}
