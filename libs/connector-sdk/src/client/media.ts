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
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(constraintsOf(media, true));
  } catch (err) {
    // A picked device that is gone (unplugged, another browser profile): the default instead.
    const picked = !!(media.audioInputId || media.videoInputId);
    const gone = err instanceof Error && /Overconstrained|NotFound/.test(err.name);
    if (!picked || !gone) throw err;
    stream = await navigator.mediaDevices.getUserMedia(constraintsOf(media, false));
  }
  stream.getAudioTracks().forEach((t) => (t.enabled = media.micEnabled));
  stream.getVideoTracks().forEach((t) => (t.enabled = media.cameraEnabled));
  return stream;
}

/**
 * What `getUserMedia` is asked for; `picked`: the chosen devices, `exact` (Chromium does not
 * honour an `ideal` device id for microphones).
 */
function constraintsOf(media: InitialMediaState, picked: boolean): MediaStreamConstraints {
  const device = (id: string | undefined) => (picked && id ? { deviceId: { exact: id } } : {});
  return {
    audio: {
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
      ...device(media.audioInputId),
    },
    video:
      media.send === 'audio'
        ? false
        : {
            width: { ideal: 640 },
            height: { ideal: 480 },
            frameRate: { ideal: 30 },
            ...device(media.videoInputId),
          },
  };
}

/** A media element's output set to `deviceId` where the browser can (Chromium: `setSinkId`). */
export function playOn(element: HTMLMediaElement, deviceId: string | undefined): void {
  const sink = element as HTMLMediaElement & { setSinkId?(id: string): Promise<void> };
  if (!deviceId || typeof sink.setSinkId !== 'function') return;
  // A device that is gone keeps the default output.
  void sink.setSinkId(deviceId).catch(() => undefined);
}
