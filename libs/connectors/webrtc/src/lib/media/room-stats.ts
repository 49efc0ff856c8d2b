/**
 * mediasoup's `getStats()` for participants: `/call stats` (everything one user has in a call) and
 * `webrtc.stats` (one transport, producer or consumer of the asking user).
 */
import type { Peer } from './peer';
import { directionOf } from './peer';
import type { Room } from './room';

interface HasStats {
  id: string;
  getStats(): Promise<unknown[]>;
}

async function withStats<T extends HasStats>(
  items: Iterable<T>,
  describe: (item: T) => Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  return Promise.all(
    [...items].map(async (item) => ({ id: item.id, ...describe(item), stats: await item.getStats() })),
  );
}

/** `/call stats`: every transport, producer and consumer of `peer` in `room`, with stats. */
export async function userStats(room: Room, peer: Peer): Promise<Record<string, unknown>> {
  return {
    callId: room.callId,
    userId: peer.userId,
    worker: { index: room.slot.index, pid: room.slot.worker?.pid ?? null },
    transports: await withStats(
      [...peer.transports.values()].map((entry) => entry.transport),
      (t) => ({ direction: directionOf(t), iceState: t.type === 'webrtc' ? t.iceState : null }),
    ),
    producers: await withStats(peer.producers.values(), (p) => ({
      kind: p.kind,
      source: (p.appData as { source?: string }).source ?? null,
      paused: p.paused,
    })),
    consumers: await withStats(peer.consumers.values(), (c) => ({
      kind: c.kind,
      producerId: c.producerId,
      paused: c.paused,
    })),
  };
}

/** `getStats()` of one of the peer's transports, producers or consumers (null: none of that id). */
export async function objectStats(peer: Peer, id: string): Promise<Record<string, unknown>[] | null> {
  const target: HasStats | undefined =
    peer.transports.get(id)?.transport ?? peer.producers.get(id) ?? peer.consumers.get(id);
  return target ? (await target.getStats()).map((entry) => ({ ...(entry as object) })) : null;
}
