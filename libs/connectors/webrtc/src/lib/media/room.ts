/**
 * One call's media on this server (as mediasoup-demo's Room): its router on one worker slot, the
 * speaker observers, a {@link Peer} per joined participant, and the recording taps watching it.
 */
import type { types } from 'mediasoup';
import type { WebrtcSettings } from '../settings';
import type { TapEntry, WorkerSlot } from './media-types';
import { Peer } from './peer';

export class Room {
  readonly peers = new Map<string, Peer>();
  /** Recorders watching the call (not participants: never listed, never pushed to). */
  readonly taps = new Set<TapEntry>();
  activeSpeaker: types.ActiveSpeakerObserver | null = null;
  audioLevels: types.AudioLevelObserver | null = null;
  /** User id of the last dominant speaker. */
  dominantUserId: string | null = null;
  /** Provider settings as of the last join. */
  settings: WebrtcSettings;

  constructor(
    readonly callId: string,
    readonly slot: WorkerSlot,
    readonly router: types.Router,
    settings: WebrtcSettings,
  ) {
    this.settings = { ...settings };
  }

  /** The participant's peer, made on their first join (with the tabs a worker restart kept). */
  admit(userId: string, socketIds: Iterable<string> = []): Peer {
    let peer = this.peers.get(userId);
    if (!peer) {
      peer = new Peer(userId, socketIds);
      this.peers.set(userId, peer);
    }
    return peer;
  }

  /** Every tab of every participant. */
  sockets(): string[] {
    return [...this.peers.values()].flatMap((peer) => peer.sockets());
  }

  /** The tabs of everyone but `userId`. */
  otherSockets(userId: string): string[] {
    return [...this.peers.values()].filter((p) => p.userId !== userId).flatMap((p) => p.sockets());
  }

  /** A producer of any participant. */
  producer(producerId: string): types.Producer | null {
    for (const peer of this.peers.values()) {
      const producer = peer.producers.get(producerId);
      if (producer) return producer;
    }
    return null;
  }

  /**
   * Dominant speaker (ActiveSpeakerObserver, every 300 ms) and who speaks (AudioLevelObserver).
   * Throws when the router cannot make them (the call then works without speaker detection).
   */
  async observeSpeakers(on: {
    dominant(userId: string, producerId: string): void;
    speaking(speakers: { userId: string; volume: number }[]): void;
  }): Promise<void> {
    this.activeSpeaker = await this.router.createActiveSpeakerObserver({ interval: 300 });
    this.audioLevels = await this.router.createAudioLevelObserver({
      maxEntries: 16,
      threshold: -60,
      interval: 800,
    });
    const userOf = (producer: types.Producer) => (producer.appData as { userId?: string }).userId ?? '';
    this.activeSpeaker.on('dominantspeaker', ({ producer }) => {
      this.dominantUserId = userOf(producer);
      on.dominant(userOf(producer), producer.id);
    });
    this.audioLevels.on('volumes', (volumes) =>
      on.speaking(volumes.map(({ producer, volume }) => ({ userId: userOf(producer), volume }))),
    );
    this.audioLevels.on('silence', () => on.speaking([]));
  }
}
