/** Shapes shared by the recording modules (the call service sees them through the app's bridge). */

/** The recording cannot start on this server; the message says why and what an admin can do. */
export class RecordingUnavailableError extends Error {
  override readonly name = 'RecordingUnavailableError';
}

export const RECORDING_MIME_TYPE = 'video/webm';

/** A producer of the call as the recorder sees it. */
export interface TapProducer {
  id: string;
  userId: string;
  kind: 'audio' | 'video';
  /** `appData.source`: `mic`, `camera`, `screen` (screen-share audio is also `screen`). */
  source: string;
  paused: boolean;
}

/** What the recorder is told about the call while it records (from the media server). */
export interface TapListener {
  producerAdded(producer: TapProducer): void;
  producerClosed(producerId: string): void;
  producerPaused(producerId: string, paused: boolean): void;
  dominantSpeaker(userId: string): void;
  /** The call's media went away (call ended, worker died): the recording must stop. */
  closed(reason: string): void;
}

/** A consumer of one producer, sending plain RTP to the relay's socket. */
export interface TapConsumer {
  readonly producerId: string;
  readonly payloadType: number;
  /** The port mediasoup sends from (the relay tells sources apart by it). */
  readonly localPort: number;
  pause(): Promise<void>;
  resume(): Promise<void>;
  requestKeyFrame(): Promise<void>;
  close(): void;
}

/**
 * A call's media seen from outside: not a participant, never listed to clients. Everything it
 * creates is closed with it or with the call's router.
 */
export interface RecordingTap {
  readonly callId: string;
  producers(): TapProducer[];
  /** The user id of the dominant speaker (null until someone spoke). */
  dominantSpeaker(): string | null;
  /** Whether the recorder can take this producer (Opus audio, VP8 video). */
  canRecord(producerId: string): boolean;
  /** A consumer of the producer on its own PlainTransport, sending to 127.0.0.1:`port`. */
  consume(producerId: string, port: number): Promise<TapConsumer>;
  close(): void;
}
