import type { InitialMediaState } from '../lib/client';

/** Which of mic and camera are on when the call starts (the contract's {@link InitialMediaState}). */
export type InitialMedia = InitialMediaState;

/** Throws when this browser cannot make WebRTC calls (checked when a call starts, not at init). */
export function assertWebrtc(): void {
  if (typeof RTCPeerConnection === 'undefined' || !globalThis.navigator?.mediaDevices?.getUserMedia) {
    throw new Error('This browser cannot make WebRTC calls (or the page is not served over HTTPS).');
  }
}

/**
 * Camera and microphone, both always requested (so either can be switched on later); only the
 * microphone with `send: 'audio'`, nothing (an empty stream: receive only) with `send: 'none'`.
 */
export async function acquireMedia(media: InitialMediaState): Promise<MediaStream> {
  if (media.send === 'none') return new MediaStream();
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    video:
      media.send === 'audio'
        ? false
        : { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
  });
  stream.getAudioTracks().forEach((t) => (t.enabled = media.micEnabled));
  stream.getVideoTracks().forEach((t) => (t.enabled = media.cameraEnabled));
  return stream;
}
