import type { InitialMediaState, MediaPreparingConnector } from '../host/connector-types';
import { mediaErrorMessage } from './media-errors';

/** What is sent in a call: camera and microphone, the microphone only, or nothing (receive only). */
export type MediaSend = 'audio' | 'none' | undefined;

/**
 * Camera/microphone trouble before a one-to-one call is placed or answered: the message stays in
 * the call window until the user picks a way on or closes it. `audioOnly`: the microphone alone
 * works (the camera is blocked or missing), so "audio only" is offered; receive-only always is.
 */
export interface MediaBlock {
  message: string;
  audioOnly: boolean;
}

/**
 * Whether the browser says both camera and microphone are already granted to this page (then the
 * camera and the server start in parallel). Any other answer (prompt, denied, no Permissions API)
 * means: get the media first, so nobody rings for a caller who cannot be seen or heard.
 */
export async function mediaSurelyGranted(): Promise<boolean> {
  const permissions = globalThis.navigator?.permissions;
  if (!permissions?.query) return false;
  try {
    const states = await Promise.all(
      (['camera', 'microphone'] as const).map((name) =>
        permissions.query({ name: name as PermissionName }).then((status) => status.state),
      ),
    );
    return states.every((state) => state === 'granted');
  } catch {
    return false; // a browser that does not know these permission names
  }
}

/** The block for `err`; probes whether the microphone alone works (the probe's stream is stopped). */
export async function mediaBlockOf(
  connector: MediaPreparingConnector,
  err: unknown,
  prefs: InitialMediaState,
): Promise<MediaBlock> {
  let audioOnly = false;
  try {
    const probe = await connector.prepareMedia({ ...prefs, send: 'audio' });
    audioOnly = probe.getAudioTracks().length > 0;
    probe.getTracks().forEach((track) => track.stop());
  } catch {
    // The microphone is blocked too: receive-only is what is left.
  }
  return { message: mediaErrorMessage(err), audioOnly };
}
