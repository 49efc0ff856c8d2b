/**
 * What the media server makes of a client's media descriptions: checks the socket edge's DTOs
 * cannot make (a produce's kind against its codecs), and mediasoup's refusals turned into clean
 * `bad_request`s. mediasoup's own error text (a JavaScript TypeError, a worker channel message)
 * never reaches the client; the edge's DTOs already named any malformed field.
 */
import { clipInput, SocketError } from '@parley/connector-sdk';
import type { MediaKind } from '@parley/protocol';

/** Why `rtpParameters` cannot be produced as `kind` (null: they can): every codec must be of that kind. */
export function codecKindProblem(kind: MediaKind, rtpParameters: unknown): string | null {
  const codecs = (rtpParameters as { codecs?: unknown } | null)?.codecs;
  if (!Array.isArray(codecs) || codecs.length === 0)
    return 'rtpParameters.codecs must list at least one codec';
  for (const [index, codec] of codecs.entries()) {
    const mimeType = (codec as { mimeType?: unknown } | null)?.mimeType;
    if (typeof mimeType !== 'string') return `rtpParameters.codecs.${index}.mimeType must be a MIME type`;
    // `video/rtx` goes with video, `audio/red` with audio: the type half decides.
    if (mimeType.split('/')[0].toLowerCase() !== kind) {
      return `rtpParameters.codecs.${index}: ${clipInput(mimeType)} is not ${kind === 'audio' ? 'an audio' : 'a video'} codec`;
    }
  }
  return null;
}

/**
 * Runs a mediasoup call on what the client sent (`field`: dtlsParameters, rtpParameters,
 * rtpCapabilities); if mediasoup refuses it, a `bad_request` naming the field, without mediasoup's
 * words. A {@link SocketError} from inside passes as it is.
 */
export async function fromClient<T>(field: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SocketError) throw error;
    throw new SocketError('bad_request', refusedMessage(field));
  }
}

/** The message of a refused media description. */
export const refusedMessage = (field: string): string =>
  `Invalid ${field}: the media server refused them (check codecs, payload types and ids)`;
