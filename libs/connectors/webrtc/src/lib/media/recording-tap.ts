/**
 * A room's recording taps: the call's media for a recorder, which is not a participant (see
 * docs/recording.md). A tap lists the producers, hears their changes and the dominant speaker, and
 * consumes a producer over a PlainTransport sending plain RTP to a local port.
 */
import type { Logger } from '@nestjs/common';
import { errorMessage } from '@parley/protocol';
import type { types } from 'mediasoup';
import type { RecordingTap, TapConsumer, TapListener, TapProducer } from '../recording/recording-types';
import type { TapEntry } from './media-types';
import type { Room } from './room';

/** What the recorder consumes: Opus and VP8 only, no RTX, key frames on request. */
export const RECORDING_RTP_CAPABILITIES: types.RtpCapabilities = {
  codecs: [
    { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
    {
      kind: 'video',
      mimeType: 'video/VP8',
      clockRate: 90000,
      preferredPayloadType: 101,
      rtcpFeedback: [
        { type: 'nack', parameter: 'pli' },
        { type: 'ccm', parameter: 'fir' },
      ],
    },
  ],
  headerExtensions: [],
};

/**
 * Opens a tap on `room` for `listener`. Closing the tap (or the room, with `listener.closed`, see
 * {@link closeTaps}) closes all it made. `isCurrent` says whether `room` is still the call's room
 * (a worker restart replaces it).
 */
export function openRecordingTap(room: Room, listener: TapListener, isCurrent: () => boolean): RecordingTap {
  const entry: TapEntry = { listener, transports: new Set(), closed: false };
  room.taps.add(entry);
  const live = () => {
    if (entry.closed || !isCurrent() || room.router.closed) throw new Error('the recording tap is closed');
  };
  return {
    callId: room.callId,
    producers: () =>
      [...room.peers.values()].flatMap((peer) =>
        [...peer.producers.values()].map((producer) => tapProducer(peer.userId, producer)),
      ),
    dominantSpeaker: () => room.dominantUserId,
    canRecord: (producerId) => {
      try {
        return (
          room.producer(producerId) !== null &&
          room.router.canConsume({ producerId, rtpCapabilities: RECORDING_RTP_CAPABILITIES })
        );
      } catch {
        return false;
      }
    },
    consume: async (producerId, port) => {
      live();
      const transport = await room.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
        appData: { recording: true },
      });
      entry.transports.add(transport);
      transport.observer.once('close', () => entry.transports.delete(transport));
      try {
        live();
        await transport.connect({ ip: '127.0.0.1', port });
        const consumer = await transport.consume({
          producerId,
          rtpCapabilities: RECORDING_RTP_CAPABILITIES,
          paused: false,
        });
        if (consumer.type === 'simulcast' || consumer.type === 'svc') {
          // The best picture: the highest spatial and temporal layers.
          const mode = /^L(\d+)T(\d+)/.exec(consumer.rtpParameters.encodings?.[0]?.scalabilityMode ?? '');
          const spatialLayer = mode ? Number(mode[1]) - 1 : 2;
          const temporalLayer = mode ? Number(mode[2]) - 1 : 2;
          await consumer.setPreferredLayers({ spatialLayer, temporalLayer }).catch(() => undefined);
        }
        const tapConsumer: TapConsumer = {
          producerId,
          payloadType: consumer.rtpParameters.codecs[0].payloadType,
          localPort: transport.tuple.localPort,
          pause: () => (consumer.closed ? Promise.resolve() : consumer.pause()),
          resume: () => (consumer.closed ? Promise.resolve() : consumer.resume()),
          requestKeyFrame: () =>
            consumer.closed || consumer.kind !== 'video' ? Promise.resolve() : consumer.requestKeyFrame(),
          close: () => transport.close(),
        };
        return tapConsumer;
      } catch (error) {
        transport.close();
        throw error;
      }
    },
    close: () => {
      if (entry.closed) return;
      entry.closed = true;
      room.taps.delete(entry);
      for (const transport of [...entry.transports]) transport.close();
    },
  };
}

export function tapProducer(userId: string, producer: types.Producer): TapProducer {
  const source = (producer.appData as { source?: unknown }).source;
  return {
    id: producer.id,
    userId,
    kind: producer.kind,
    source: typeof source === 'string' ? source : producer.kind === 'audio' ? 'mic' : 'camera',
    paused: producer.paused,
  };
}

/** Tells every recorder of the room about a change (one failing recorder does not stop the others). */
export function notifyTaps(room: Room, event: (listener: TapListener) => void, logger: Logger): void {
  for (const entry of room.taps) {
    try {
      event(entry.listener);
    } catch (error) {
      logger.warn(`call ${room.callId}: recorder event failed: ${errorMessage(error)}`);
    }
  }
}

/** The room goes away: its taps are closed and their recorders told why. */
export function closeTaps(room: Room, reason: string, logger: Logger): void {
  const entries = [...room.taps];
  room.taps.clear();
  for (const entry of entries) {
    if (entry.closed) continue;
    entry.closed = true;
    for (const transport of [...entry.transports]) transport.close();
    try {
      entry.listener.closed(reason);
    } catch (error) {
      logger.warn(`call ${room.callId}: recorder close failed: ${errorMessage(error)}`);
    }
  }
}
