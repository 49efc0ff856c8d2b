import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { CallInfo, RoomCallInfo } from '@parley/protocol';
import { CallUpdates } from '../calls/call-updates';
import { ParleyWidgetHost } from '../host/widget-host';

/** What a room's banner shows: its live call (or null), its permanent link, or why it is hidden. */
export interface RoomCallState {
  call: CallInfo | null;
  link: string | null;
  /** Not a member, or the server failed: no banner. */
  error: string | null;
}

/**
 * The live group calls of the rooms on screen (`call.room.get`), kept current with
 * `call.room.started` / `call.room.updated` and refetched after every reconnection.
 */
@Injectable({ providedIn: 'root' })
export class RoomCallsStore {
  private readonly host = inject(ParleyWidgetHost);
  private readonly state = signal<ReadonlyMap<string, RoomCallState>>(new Map());
  private readonly watched = new Map<string, number>();

  constructor() {
    const subs = [
      this.host.events('call.room.started').subscribe((e) => this.put(e.roomId, { call: e.call })),
      this.host
        .events('call.room.updated')
        .subscribe((e) => this.put(e.roomId, { call: e.call.state === 'ended' ? null : e.call })),
      // Participants get their room's call as `call.updated`/`call.delta`, not `call.room.updated`.
      inject(CallUpdates).updated$.subscribe((call) => {
        if (call.target.kind !== 'user')
          this.put(call.target.roomId, { call: call.state === 'ended' ? null : call });
      }),
      this.host.connected$.subscribe(() => [...this.watched.keys()].forEach((id) => void this.load(id))),
    ];
    inject(DestroyRef).onDestroy(() => subs.forEach((s) => s.unsubscribe()));
  }

  /** The state of one room (a signal read: components re-render on change). */
  get(roomId: string): RoomCallState | undefined {
    return this.state().get(roomId);
  }

  /** Keeps a room's call loaded until the returned function is called. */
  watch(roomId: string): () => void {
    this.watched.set(roomId, (this.watched.get(roomId) ?? 0) + 1);
    void this.load(roomId);
    return () => {
      const count = (this.watched.get(roomId) ?? 1) - 1;
      if (count > 0) this.watched.set(roomId, count);
      else this.watched.delete(roomId);
    };
  }

  async load(roomId: string): Promise<RoomCallInfo | null> {
    try {
      const info = await this.host.request('call.room.get', { roomId });
      this.put(roomId, { call: info.call, link: info.link, error: null });
      return info;
    } catch (err) {
      this.put(roomId, { call: null, error: err instanceof Error ? err.message : 'unavailable' });
      return null;
    }
  }

  private put(roomId: string, patch: Partial<RoomCallState>): void {
    const next = new Map(this.state());
    const current = next.get(roomId) ?? { call: null, link: null, error: null };
    next.set(roomId, { ...current, ...patch });
    this.state.set(next);
  }
}
