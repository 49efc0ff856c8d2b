import { Device, type types } from 'mediasoup-client';
import type {
  WebrtcConsumerClosedEvent,
  WebrtcConsumerInfo,
  WebrtcJoinInfo,
  WebrtcProduceResponse,
  WebrtcProducerEvent,
  WebrtcProducerStateEvent,
  WebrtcRestartIceResponse,
  WebrtcSource,
  WebrtcTransportInfo,
} from '@parley/protocol';
import type { CallView, ClientCall, ClientEvent } from '../../../../connector-sdk/src/lib/client';

/** Mirrors `@parley/widget`'s SignalingChannel (kept structural: no build-time dependency). */
export interface Signaling {
  request(name: string, payload: unknown): Promise<unknown>;
  on(name: string, handler: (data: unknown) => void): () => void;
}

export interface InitialMedia {
  micEnabled: boolean;
  cameraEnabled: boolean;
}

/** What the widget adds to `ClientCall` (see `@parley/widget` WidgetClientCall). */
export interface WidgetCallExtras {
  signaling: Signaling;
  media: InitialMedia;
  localStream: MediaStream | null;
  report(event: ClientEvent): void;
}

/** Camera and microphone, both always requested (so either can be switched on later). */
export async function acquireMedia(media: InitialMedia): Promise<MediaStream> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
  });
  stream.getAudioTracks().forEach((t) => (t.enabled = media.micEnabled));
  stream.getVideoTracks().forEach((t) => (t.enabled = media.cameraEnabled));
  return stream;
}

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

/**
 * One joined call: a mediasoup-client Device, a send and a receive transport, the local mic (opus)
 * and camera (VP8) producers, a consumer per remote producer, and the view (remote video large,
 * self-view miniature bottom-right).
 */
export class WebrtcCall implements CallView {
  private readonly device = new Device();
  private readonly joinInfo: WebrtcJoinInfo;
  private sendTransport: types.Transport | null = null;
  private recvTransport: types.Transport | null = null;
  private readonly producers = new Map<WebrtcSource, types.Producer>();
  private readonly consumers = new Map<string, types.Consumer>();
  private readonly pending = new Set<string>();
  private readonly unsubscribe: (() => void)[] = [];
  private stream: MediaStream | null;
  private closed = false;
  private readonly root: HTMLElement;
  private readonly remoteVideo: HTMLVideoElement;
  private readonly remoteAudio: HTMLAudioElement;
  private readonly selfView: HTMLVideoElement;
  private readonly remoteStream = new MediaStream();
  private readonly remoteAudioStream = new MediaStream();

  constructor(
    private readonly call: ClientCall,
    private readonly extras: WidgetCallExtras,
    container: HTMLElement,
  ) {
    this.joinInfo = call.joinInfo as unknown as WebrtcJoinInfo;
    this.stream = extras.localStream;
    this.root = el('div', 'parley-webrtc', {
      position: 'absolute',
      inset: '0',
      background: '#0b1220',
      overflow: 'hidden',
    });
    this.remoteVideo = el('video', 'parley-webrtc-remote', {
      width: '100%',
      height: '100%',
      objectFit: 'contain',
      background: '#0b1220',
    });
    this.remoteVideo.dataset['testid'] = 'remote-video';
    this.remoteVideo.autoplay = true;
    this.remoteVideo.playsInline = true;
    this.remoteVideo.muted = true;
    this.remoteVideo.srcObject = this.remoteStream;
    this.remoteAudio = el('audio', 'parley-webrtc-audio', { display: 'none' });
    this.remoteAudio.dataset['testid'] = 'remote-audio';
    this.remoteAudio.autoplay = true;
    this.remoteAudio.srcObject = this.remoteAudioStream;
    this.selfView = el('video', 'parley-webrtc-self', {
      position: 'absolute',
      right: '12px',
      bottom: '12px',
      width: '24%',
      maxWidth: '200px',
      aspectRatio: '4 / 3',
      objectFit: 'cover',
      borderRadius: '10px',
      border: '2px solid rgb(255 255 255 / 70%)',
      boxShadow: '0 6px 18px rgb(0 0 0 / 45%)',
      transform: 'scaleX(-1)',
      background: '#1e293b',
    });
    this.selfView.dataset['testid'] = 'self-view';
    this.selfView.autoplay = true;
    this.selfView.muted = true;
    this.selfView.playsInline = true;
    this.root.append(this.remoteVideo, this.remoteAudio, this.selfView);
    container.append(this.root);
  }

  async start(): Promise<void> {
    const { signaling } = this.extras;
    const callId = this.call.id;
    // Listen first: a producer that appears while we set up is not lost.
    this.unsubscribe.push(
      signaling.on('webrtc.producer.new', (data) => {
        const event = data as WebrtcProducerEvent;
        if (event.callId === callId) void this.consume(event.producerId);
      }),
      signaling.on('webrtc.consumer.closed', (data) => {
        const event = data as WebrtcConsumerClosedEvent;
        if (event.callId === callId) this.dropConsumer(event.consumerId);
      }),
      signaling.on('webrtc.producer.closed', (data) => {
        const event = data as WebrtcProducerStateEvent;
        if (event.callId !== callId) return;
        for (const consumer of this.consumers.values()) {
          if (consumer.producerId === event.producerId) this.dropConsumer(consumer.id);
        }
      }),
      signaling.on('webrtc.producer.paused', (data) =>
        this.onRemotePause(data as WebrtcProducerStateEvent, true),
      ),
      signaling.on('webrtc.producer.resumed', (data) =>
        this.onRemotePause(data as WebrtcProducerStateEvent, false),
      ),
    );

    await this.device.load({
      routerRtpCapabilities: this.joinInfo.routerRtpCapabilities as unknown as types.RtpCapabilities,
    });
    const [send, recv, stream] = await Promise.all([
      this.createTransport('send'),
      this.createTransport('recv'),
      this.stream ? Promise.resolve(this.stream) : acquireMedia(this.extras.media),
    ]);
    this.sendTransport = send;
    this.recvTransport = recv;
    this.stream = stream;
    if (this.closed) return;
    this.selfView.srcObject = new MediaStream(stream.getVideoTracks());
    void this.selfView.play().catch(() => undefined);

    // Consume what is already there while producing our own.
    const existing = signaling
      .request('webrtc.producers', { callId })
      .then((list) => Promise.all((list as WebrtcProducerEvent[]).map((p) => this.consume(p.producerId))));
    await Promise.all([this.produceAll(stream), existing]);
    this.extras.report({ type: 'joined' });
  }

  async setMuted(muted: boolean): Promise<void> {
    await this.setPaused('mic', muted);
  }

  async setCameraOff(off: boolean): Promise<void> {
    await this.setPaused('camera', off);
    this.selfView.style.visibility = off ? 'hidden' : 'visible';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe.splice(0).forEach((off) => off());
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.stream?.getTracks().forEach((t) => t.stop());
    this.remoteStream.getTracks().forEach((t) => t.stop());
    this.remoteAudioStream.getTracks().forEach((t) => t.stop());
    this.remoteVideo.srcObject = null;
    this.remoteAudio.srcObject = null;
    this.selfView.srcObject = null;
    this.root.remove();
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const { signaling } = this.extras;
    const info = (await signaling.request('webrtc.transport.create', {
      callId: this.call.id,
      direction,
    })) as WebrtcTransportInfo;
    const options: types.TransportOptions = {
      id: info.id,
      iceParameters: info.iceParameters as unknown as types.IceParameters,
      iceCandidates: info.iceCandidates as unknown as types.IceCandidate[],
      dtlsParameters: info.dtlsParameters as unknown as types.DtlsParameters,
      sctpParameters: (info.sctpParameters ?? undefined) as unknown as types.SctpParameters | undefined,
      iceServers: this.joinInfo.iceServers,
      iceTransportPolicy: this.joinInfo.iceTransportPolicy,
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
      if (this.closed) return;
      if (state === 'failed' || state === 'disconnected') void this.restartIce(transport);
    });
    return transport;
  }

  private async restartIce(transport: types.Transport): Promise<void> {
    try {
      const res = (await this.extras.signaling.request('webrtc.transport.restartIce', {
        transportId: transport.id,
      })) as WebrtcRestartIceResponse;
      await transport.restartIce({ iceParameters: res.iceParameters as unknown as types.IceParameters });
    } catch (err) {
      if (!this.closed && transport.connectionState === 'failed') {
        this.extras.report({
          type: 'error',
          message: `The media connection failed (${asError(err).message}).`,
        });
      }
    }
  }

  private async produceAll(stream: MediaStream): Promise<void> {
    const transport = this.sendTransport;
    if (!transport) return;
    const audio = stream.getAudioTracks()[0];
    const video = stream.getVideoTracks()[0];
    const jobs: Promise<void>[] = [];
    if (audio && this.device.canProduce('audio')) {
      jobs.push(
        transport
          .produce({
            track: audio,
            codecOptions: { opusStereo: false, opusDtx: true, opusFec: true },
            stopTracks: false,
            appData: { source: 'mic' },
          })
          .then((producer) => this.adopt('mic', producer, audio, !this.extras.media.micEnabled)),
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
          .then((producer) => this.adopt('camera', producer, video, !this.extras.media.cameraEnabled)),
      );
    }
    await Promise.all(jobs);
  }

  private async adopt(
    source: WebrtcSource,
    producer: types.Producer,
    track: MediaStreamTrack,
    startPaused: boolean,
  ): Promise<void> {
    this.producers.set(source, producer);
    track.addEventListener('ended', () => {
      if (this.closed) return;
      const what = source === 'mic' ? 'microphone' : 'camera';
      this.extras.report({
        type: 'error',
        message: `Your ${what} stopped working (was it unplugged?). The other side no longer receives it.`,
      });
      this.extras.report(
        source === 'mic' ? { type: 'state', muted: true } : { type: 'state', cameraOff: true },
      );
    });
    if (startPaused) {
      await this.setPaused(source, true);
      if (source === 'camera') this.selfView.style.visibility = 'hidden';
    }
  }

  private async setPaused(source: WebrtcSource, paused: boolean): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer || producer.closed || producer.paused === paused) {
      this.stream
        ?.getTracks()
        .filter((t) => (source === 'mic' ? t.kind === 'audio' : t.kind === 'video'))
        .forEach((t) => (t.enabled = !paused));
      return;
    }
    if (paused) producer.pause();
    else producer.resume();
    await this.extras.signaling.request(paused ? 'webrtc.producer.pause' : 'webrtc.producer.resume', {
      producerId: producer.id,
    });
  }

  private async consume(producerId: string): Promise<void> {
    const transport = this.recvTransport;
    if (!transport || this.closed || this.pending.has(producerId)) return;
    if ([...this.consumers.values()].some((c) => c.producerId === producerId)) return;
    this.pending.add(producerId);
    try {
      const info = (await this.extras.signaling.request('webrtc.consume', {
        callId: this.call.id,
        producerId,
        rtpCapabilities: this.device.rtpCapabilities,
      })) as WebrtcConsumerInfo;
      if (this.closed) return;
      const consumer = await transport.consume({
        id: info.id,
        producerId: info.producerId,
        kind: info.kind,
        rtpParameters: info.rtpParameters as unknown as types.RtpParameters,
        appData: info.appData,
      });
      this.consumers.set(consumer.id, consumer);
      const target = consumer.kind === 'audio' ? this.remoteAudioStream : this.remoteStream;
      target.addTrack(consumer.track);
      if (consumer.kind === 'video') {
        this.remoteVideo.srcObject = this.remoteStream;
        void this.remoteVideo.play().catch(() => undefined);
        this.root.dataset['remoteCamera'] = info.producerPaused ? 'off' : 'on';
      } else {
        this.remoteAudio.srcObject = this.remoteAudioStream;
        void this.remoteAudio.play().catch(() => undefined);
      }
      await this.extras.signaling.request('webrtc.consumer.resume', { consumerId: consumer.id });
    } catch (err) {
      if (!this.closed) console.warn('[parley] webrtc: could not receive a remote stream', err);
    } finally {
      this.pending.delete(producerId);
    }
  }

  private dropConsumer(consumerId: string): void {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) return;
    this.consumers.delete(consumerId);
    this.remoteStream.removeTrack(consumer.track);
    this.remoteAudioStream.removeTrack(consumer.track);
    consumer.close();
  }

  private onRemotePause(event: WebrtcProducerStateEvent, paused: boolean): void {
    if (event.callId !== this.call.id) return;
    const consumer = [...this.consumers.values()].find((c) => c.producerId === event.producerId);
    if (consumer?.kind === 'video') this.root.dataset['remoteCamera'] = paused ? 'off' : 'on';
    if (consumer?.kind === 'audio') this.root.dataset['remoteMic'] = paused ? 'off' : 'on';
  }
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  style: Partial<CSSStyleDeclaration>,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  Object.assign(node.style, style);
  return node;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
