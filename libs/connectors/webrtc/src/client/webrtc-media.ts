/**
 * The media plumbing of one WebRTC call: a mediasoup-client Device, a send and a receive
 * transport (signalled over `webrtc.transport.*`, ICE restarted when it fails), and the local
 * producers: mic (opus), camera (VP8 simulcast) and the screen while it is shared.
 */
import { Device, type types } from 'mediasoup-client';
import type {
  WebrtcJoinInfo,
  WebrtcProduceResponse,
  WebrtcRestartIceResponse,
  WebrtcSource,
  WebrtcTransportInfo,
} from '@parley/protocol';
import type { ClientEvent, InitialMediaState, SignalingChannel } from '@parley/connector-sdk/client';

/** Simulcast-ready VP8 encodings: two layers up to 640 px wide, three above. */
export function cameraEncodings(width: number): RTCRtpEncodingParameters[] {
  if (width > 640) {
    return [
      { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
      { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
      { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
    ];
  }
  return [
    { rid: 'r0', scaleResolutionDownBy: 2, maxBitrate: 200_000 },
    { rid: 'r1', scaleResolutionDownBy: 1, maxBitrate: 800_000 },
  ];
}

export interface WebrtcMediaOptions {
  callId: string;
  joinInfo: WebrtcJoinInfo;
  signaling: SignalingChannel;
  /** Mic and camera at the start of the call (a producer starts paused when off). */
  media: InitialMediaState;
  report(event: ClientEvent): void;
  /** The local stream: its tracks are switched instead when there is no producer (yet). */
  localStream(): MediaStream | null;
  /** A producer started paused (the camera: the one-to-one self-view hides). */
  onStartPaused(source: WebrtcSource): void;
}

export class WebrtcMedia {
  private device = new Device();
  private sendTransport: types.Transport | null = null;
  private recvTransport: types.Transport | null = null;
  private readonly producers = new Map<WebrtcSource, types.Producer>();
  private closed = false;

  constructor(private readonly options: WebrtcMediaOptions) {}

  /** What this Device can receive (sent with `webrtc.consume`). */
  get rtpCapabilities(): types.RtpCapabilities {
    return this.device.rtpCapabilities;
  }

  /** The send transport: null before {@link connect} and during a rebuild. */
  get sender(): types.Transport | null {
    return this.sendTransport;
  }

  /** The receive transport: null before {@link connect} and during a rebuild. */
  get receiver(): types.Transport | null {
    return this.recvTransport;
  }

  /** Loads the Device (once per Device) and creates both transports. */
  async connect(routerRtpCapabilities: unknown): Promise<void> {
    if (!this.device.loaded) {
      await this.device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
    }
    const [send, recv] = await Promise.all([this.createTransport('send'), this.createTransport('recv')]);
    this.sendTransport = send;
    this.recvTransport = recv;
  }

  /**
   * Drops the transports and producers (gone on the server) and starts over on a fresh Device;
   * returns which producers were paused, for {@link produceAll}.
   */
  reset(): Map<WebrtcSource, boolean> {
    this.closeTransports();
    const paused = new Map([...this.producers].map(([source, p]) => [source, p.paused]));
    this.producers.clear();
    this.device = new Device();
    return paused;
  }

  close(): void {
    this.closed = true;
    this.sendTransport?.close();
    this.recvTransport?.close();
  }

  /** Mic and camera producers of `stream`; `paused` (after a rebuild) keeps their mute state. */
  async produceAll(stream: MediaStream, paused?: Map<WebrtcSource, boolean>): Promise<void> {
    const transport = this.sendTransport;
    if (!transport) return;
    const audio = stream.getAudioTracks()[0];
    const video = stream.getVideoTracks()[0];
    const jobs: Promise<void>[] = [];
    const micPaused = paused?.get('mic') ?? !this.options.media.micEnabled;
    const cameraPaused = paused?.get('camera') ?? !this.options.media.cameraEnabled;
    if (audio && this.device.canProduce('audio')) {
      jobs.push(
        transport
          .produce({
            track: audio,
            codecOptions: { opusStereo: false, opusDtx: true, opusFec: true },
            stopTracks: false,
            appData: { source: 'mic' },
          })
          .then((producer) => this.adopt('mic', producer, audio, micPaused, !paused)),
      );
    }
    if (video && this.device.canProduce('video')) {
      const vp8 = this.device.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
      const width = video.getSettings().width ?? 640;
      jobs.push(
        transport
          .produce({
            track: video,
            codec: vp8,
            encodings: cameraEncodings(width),
            codecOptions: { videoGoogleStartBitrate: 1000 },
            stopTracks: false,
            appData: { source: 'camera' },
          })
          .then((producer) => this.adopt('camera', producer, video, cameraPaused, !paused)),
      );
    }
    await Promise.all(jobs);
  }

  /** The screen producer (`appData.source = 'screen'`), next to the camera. */
  async produceScreen(track: MediaStreamTrack): Promise<void> {
    const transport = this.sendTransport;
    if (!transport) throw new Error('The call is not connected.');
    const producer = await transport.produce({
      track,
      encodings: [{ maxBitrate: 1_500_000 }],
      codecOptions: { videoGoogleStartBitrate: 1000 },
      stopTracks: false,
      appData: { source: 'screen' },
    });
    this.producers.set('screen', producer);
  }

  /** Closes the screen producer, here and on the server. */
  async closeScreen(): Promise<void> {
    const producer = this.producers.get('screen');
    this.producers.delete('screen');
    if (!producer) return;
    producer.close();
    await this.options.signaling
      .request('webrtc.producer.close', { producerId: producer.id })
      .catch(() => undefined); // already closed by a host, or the call is over
  }

  /** Mutes or unmutes the mic or the camera (the producer, or the track while there is none). */
  async setPaused(source: WebrtcSource, paused: boolean): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer || producer.closed || producer.paused === paused) {
      this.options
        .localStream()
        ?.getTracks()
        .filter((t) => (source === 'mic' ? t.kind === 'audio' : t.kind === 'video'))
        .forEach((t) => (t.enabled = !paused));
      return;
    }
    if (paused) producer.pause();
    else producer.resume();
    await this.options.signaling.request(paused ? 'webrtc.producer.pause' : 'webrtc.producer.resume', {
      producerId: producer.id,
    });
  }

  private closeTransports(): void {
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const { signaling, joinInfo } = this.options;
    const info = (await signaling.request('webrtc.transport.create', {
      callId: this.options.callId,
      direction,
    })) as WebrtcTransportInfo;
    const options: types.TransportOptions = {
      id: info.id,
      iceParameters: info.iceParameters as unknown as types.IceParameters,
      iceCandidates: info.iceCandidates as unknown as types.IceCandidate[],
      dtlsParameters: info.dtlsParameters as unknown as types.DtlsParameters,
      sctpParameters: (info.sctpParameters ?? undefined) as unknown as types.SctpParameters | undefined,
      iceServers: joinInfo.iceServers,
      iceTransportPolicy: joinInfo.iceTransportPolicy,
    };
    const transport =
      direction === 'send'
        ? this.device.createSendTransport(options)
        : this.device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      signaling.request('webrtc.transport.connect', { transportId: transport.id, dtlsParameters }).then(
        () => callback(),
        (err: unknown) => errback(asError(err)),
      );
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        signaling.request('webrtc.produce', { transportId: transport.id, kind, rtpParameters, appData }).then(
          (res) => callback({ id: (res as WebrtcProduceResponse).producerId }),
          (err: unknown) => errback(asError(err)),
        );
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (this.closed || transport.closed) return;
      if (state === 'failed' || state === 'disconnected') void this.restartIce(transport);
    });
    return transport;
  }

  private async restartIce(transport: types.Transport): Promise<void> {
    try {
      const res = (await this.options.signaling.request('webrtc.transport.restartIce', {
        transportId: transport.id,
      })) as WebrtcRestartIceResponse;
      await transport.restartIce({ iceParameters: res.iceParameters as unknown as types.IceParameters });
    } catch (err) {
      if (!this.closed && !transport.closed && transport.connectionState === 'failed') {
        this.options.report({
          type: 'error',
          message: `The media connection failed (${asError(err).message}).`,
        });
      }
    }
  }

  private async adopt(
    source: WebrtcSource,
    producer: types.Producer,
    track: MediaStreamTrack,
    startPaused: boolean,
    watchTrack: boolean,
  ): Promise<void> {
    this.producers.set(source, producer);
    if (watchTrack) {
      track.addEventListener('ended', () => {
        if (this.closed) return;
        const what = source === 'mic' ? 'microphone' : 'camera';
        this.options.report({
          type: 'error',
          message: `Your ${what} stopped working (was it unplugged?). The other side no longer receives it.`,
        });
        this.options.report(
          source === 'mic' ? { type: 'state', muted: true } : { type: 'state', cameraOff: true },
        );
      });
    }
    if (startPaused) {
      await this.setPaused(source, true);
      this.options.onStartPaused(source);
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
