/**
 * What a call's host does to another participant's media (through the app's media bridge, after
 * the calls library checked the host): mute their microphone, stop their screen share.
 */
import type { types } from 'mediasoup';
import type { Room } from './room';

function sourceOf(producer: types.Producer): string | undefined {
  return (producer.appData as { source?: string }).source;
}

/** Host mute: pause the user's microphone producers; the others get `webrtc.producer.paused`. */
export async function muteUser(room: Room, userId: string): Promise<void> {
  const peer = room.peers.get(userId);
  for (const producer of [...(peer?.producers.values() ?? [])]) {
    if (peer && producer.kind === 'audio' && sourceOf(producer) !== 'screen' && !producer.paused) {
      await room.setProducerPaused(peer, producer.id, true);
    }
  }
}

/** Host stops a screen share: close the user's `screen` producers (the others hear of it). */
export function stopScreenShare(room: Room, userId: string): void {
  for (const producer of [...(room.peers.get(userId)?.producers.values() ?? [])]) {
    if (sourceOf(producer) === 'screen') producer.close();
  }
}
