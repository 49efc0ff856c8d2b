/**
 * mediasoup's `getStats()` for participants: `/call stats` (everything one user has in a call),
 * `webrtc.stats` (one transport, producer or consumer of the asking user) and the admins' Calls
 * tab summary (bitrates, loss, relay or direct).
 */
import type { ParticipantMediaSummary } from '@parley/protocol';
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
      (t) => ({
        direction: directionOf(t),
        iceState: t.type === 'webrtc' ? t.iceState : null,
        // Told by the browser (`webrtc.quality`): relay = through TURN; null until it says.
        candidateType: (t.appData as { candidateType?: string }).candidateType ?? null,
      }),
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

/**
 * The Calls tab's figures for `peer`: what the server receives from them and sends to them
 * (kbit/s, over every transport), the worst loss on their producers' streams (mediasoup's
 * `fractionLost` is the RTCP fraction: n/256) and relay or direct, as their browser reported
 * it (`webrtc.quality`; the server cannot tell a TURN relay from a direct peer).
 */
export async function userSummary(peer: Peer): Promise<ParticipantMediaSummary> {
  const transports = [...peer.transports.values()].map((entry) => entry.transport);
  const transportStats = (await Promise.all(transports.map((t) => t.getStats()))).flat();
  const producerStats = (await Promise.all([...peer.producers.values()].map((p) => p.getStats()))).flat();
  const sum = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / 1000 : null);
  const losses = producerStats.map((s) => (s.fractionLost / 256) * 100);
  const types = transports.map((t) => (t.appData as { candidateType?: string }).candidateType);
  const told = types.filter((type) => type !== undefined);
  return {
    sendKbps: sum(transportStats.map((s) => s.recvBitrate)),
    recvKbps: sum(transportStats.map((s) => s.sendBitrate)),
    lossPct: losses.length ? Math.max(...losses) : null,
    connection: told.includes('relay') ? 'relay' : told.length ? 'direct' : null,
  };
}

/** `getStats()` of one of the peer's transports, producers or consumers (null: none of that id). */
export async function objectStats(peer: Peer, id: string): Promise<Record<string, unknown>[] | null> {
  const target: HasStats | undefined =
    peer.transports.get(id)?.transport ?? peer.producers.get(id) ?? peer.consumers.get(id);
  return target ? (await target.getStats()).map((entry) => ({ ...(entry as object) })) : null;
}
