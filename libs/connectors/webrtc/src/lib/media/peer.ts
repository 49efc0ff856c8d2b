/**
 * One participant's media in a call: the transports their tabs (or server-side tools) made, and the
 * producers and consumers on them. Closing a transport closes its producers and consumers
 * (mediasoup's own cascade); the service listens to those closes.
 */
import { SocketError } from '@parley/connector-sdk';
import type { types } from 'mediasoup';
import type { PeerTransport } from './media-types';

export class Peer {
  /** `socketId` is empty for server-side plain transports (no tab owns them). */
  readonly transports = new Map<string, { transport: PeerTransport; socketId: string }>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();
  /** Tabs that made transports here (pushes go to them; kept across a worker restart). */
  readonly socketIds: Set<string>;

  constructor(
    readonly userId: string,
    socketIds: Iterable<string> = [],
  ) {
    this.socketIds = new Set(socketIds);
  }

  sockets(): string[] {
    return [...this.socketIds];
  }

  /** One of the peer's open transports (`not_found` otherwise). */
  transport(transportId: string): PeerTransport {
    const entry = this.transports.get(transportId);
    if (!entry || entry.transport.closed)
      throw new SocketError('not_found', `Unknown transport ${transportId}`);
    return entry.transport;
  }

  /** A WebRTC transport of the peer (what clients connect and restart); plain ones are not theirs. */
  webrtcTransport(transportId: string): types.WebRtcTransport {
    const transport = this.transport(transportId);
    if (transport.type !== 'webrtc') throw new SocketError('not_found', `Unknown transport ${transportId}`);
    return transport;
  }
}
