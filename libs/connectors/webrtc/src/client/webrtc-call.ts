import { Device, type types } from 'mediasoup-client';
import type {
  WebrtcConsumerClosedEvent,
  WebrtcConsumerInfo,
  WebrtcJoinInfo,
  WebrtcProduceResponse,
  WebrtcProducerEvent,
  WebrtcProducerStateEvent,
  WebrtcResetEvent,
  WebrtcRestartIceResponse,
  WebrtcSource,
  WebrtcTransportInfo,
} from '@parley/protocol';
import { acquireMedia, createOneToOneStage, type InitialMedia } from '@parley/connector-sdk/client';
import type { CallView, ClientCall, ClientEvent } from '@parley/connector-sdk/client';
import { GroupStage, type GroupLayout } from './group-stage';

/** Mirrors `@parley/widget`'s SignalingChannel (kept structural: no build-time dependency). */
export interface Signaling {
  request(name: string, payload: unknown): Promise<unknown>;
  on(name: string, handler: (data: unknown) => void): () => void;
}

export { acquireMedia, type InitialMedia };

/** What the widget adds to `ClientCall` (see `@parley/widget` WidgetClientCall). */
export interface WidgetCallExtras {
  signaling: Signaling;
  media: InitialMedia;
  localStream: MediaStream | null;
  report(event: ClientEvent): void;
  /** Group calls: the signed-in user's id and display names for the tiles (absent: one-to-one view). */
  selfId?: string;
  nameOf?(userId: string): string;
}

/** Group calls: screen sharing refused by the admins (the button is hidden; the server refuses too). */
export class ScreenShareNotAllowedError extends Error {
  constructor() {
    super('Screen sharing is turned off by the administrators.');
    this.name = 'ScreenShareNotAllowedError';
  }
}

/** Remote media this call receives. */
interface RemoteMedia {
  consumer: types.Consumer;
  userId: string;
  source: WebrtcSource;
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
 * and camera (VP8 simulcast) producers, a screen producer while sharing, a consumer per remote
 * producer, and the view. One-to-one: remote video large, self-view miniature bottom-right.
 * Group (when the widget passes `selfId`): a tile per participant ({@link GroupStage}).
 *
 * After a socket drop (`rejoin`) or a media server restart (`webrtc.reset`) the transports are
 * gone on the server: everything is rebuilt on a fresh Device from the same local tracks.
 */
export class WebrtcCall implements CallView {
  private device = new Device();
  private readonly joinInfo: WebrtcJoinInfo;
  private sendTransport: types.Transport | null = null;
  private recvTransport: types.Transport | null = null;
  private readonly producers = new Map<WebrtcSource, types.Producer>();
  private readonly remotes = new Map<string, RemoteMedia>();
  private readonly pending = new Set<string>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly layers = new Map<string, number>();
  private stream: MediaStream | null;
  private screenTrack: MediaStreamTrack | null = null;
  private closed = false;
  private generation = 0;
  private readonly root: HTMLElement;
  private readonly group: GroupStage | null;
  private readonly remoteVideo: HTMLVideoElement | null = null;
  private readonly remoteAudio: HTMLAudioElement | null = null;
  private readonly selfView: HTMLVideoElement | null = null;
  private readonly remoteStream = new MediaStream();
  private readonly remoteAudioStream = new MediaStream();

  constructor(
    private readonly call: ClientCall,
    private readonly extras: WidgetCallExtras,
    container: HTMLElement,
  ) {
    this.joinInfo = call.joinInfo as unknown as WebrtcJoinInfo;
    this.stream = extras.localStream;
    if (extras.selfId) {
      const nameOf = extras.nameOf ?? ((id: string) => id);
      this.group = new GroupStage(container, extras.selfId, nameOf, (userId, source, height) =>
        this.pickLayer(userId, source, height),
      );
      this.root = this.group.root;
      return;
    }
    this.group = null;
    ({
      root: this.root,
      remoteVideo: this.remoteVideo,
      remoteAudio: this.remoteAudio,
      selfView: this.selfView,
    } = createOneToOneStage(container, 'parley-webrtc', this.remoteStream, this.remoteAudioStream));
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
        for (const remote of [...this.remotes.values()]) {
          if (remote.consumer.producerId === event.producerId) this.dropConsumer(remote.consumer.id);
        }
      }),
      signaling.on('webrtc.producer.paused', (data) =>
        this.onRemotePause(data as WebrtcProducerStateEvent, true),
      ),
      signaling.on('webrtc.producer.resumed', (data) =>
        this.onRemotePause(data as WebrtcProducerStateEvent, false),
      ),
      signaling.on('webrtc.reset', (data) => {
        const event = data as WebrtcResetEvent;
        if (event.callId === callId) void this.rebuild(event.routerRtpCapabilities);
      }),
    );

    const [, stream] = await Promise.all([
      this.connectMedia(this.joinInfo.routerRtpCapabilities),
      this.stream ? Promise.resolve(this.stream) : acquireMedia(this.extras.media),
    ]);
    this.stream = stream;
    if (this.closed) return;
    if (this.group && this.extras.selfId) this.group.setSelf(stream);
    else if (this.selfView) {
      this.selfView.srcObject = new MediaStream(stream.getVideoTracks());
      void this.selfView.play().catch(() => undefined);
    }
    await Promise.all([this.produceAll(stream), this.consumeExisting()]);
    this.extras.report({ type: 'joined' });
  }

  async setMuted(muted: boolean): Promise<void> {
    await this.setPaused('mic', muted);
  }

  async setCameraOff(off: boolean): Promise<void> {
    await this.setPaused('camera', off);
    if (this.selfView) this.selfView.style.visibility = off ? 'hidden' : 'visible';
  }

  /** Whether the admins allow screen sharing in this call (from joinInfo). */
  get screenShareAllowed(): boolean {
    return this.joinInfo.screenShareAllowed !== false;
  }

  /**
   * Starts or stops sharing the screen: its own producer (`appData.source = 'screen'`), next to
   * the camera. Ending the share from the browser's own bar reports `screenSharing: false`.
   */
  async setScreenSharing(on: boolean): Promise<void> {
    if (!on) {
      await this.stopScreen();
      return;
    }
    if (!this.screenShareAllowed) throw new ScreenShareNotAllowedError();
    if (this.screenTrack) return;
    const display = await navigator.mediaDevices.getDisplayMedia({
      video: { frameRate: { ideal: 15 }, width: { max: 1920 }, height: { max: 1080 } },
      audio: false,
    });
    const track = display.getVideoTracks()[0];
    if (!track) throw new Error('No screen was chosen.');
    if (this.closed) {
      track.stop();
      return;
    }
    this.screenTrack = track;
    track.addEventListener('ended', () => {
      if (this.screenTrack !== track || this.closed) return;
      void this.stopScreen().then(() => this.extras.report({ type: 'state', screenSharing: false }));
    });
    try {
      await this.produceScreen(track);
    } catch (err) {
      this.screenTrack = null;
      track.stop();
      throw err;
    }
    this.group?.setOwnScreen(track);
  }

  /** Group view: grid or active speaker. */
  setLayout(layout: GroupLayout): void {
    this.group?.setLayout(layout);
  }

  setActiveSpeaker(userId: string | null): void {
    this.group?.setActiveSpeaker(userId);
  }

  /** Group view: the joined participants (a tile each) and their raised hands. */
  setParticipants(userIds: readonly string[], hands: readonly string[]): void {
    if (!this.group) return;
    this.group.syncParticipants(userIds);
    const raised = new Set(hands);
    userIds.forEach((id) => this.group?.setHand(id, raised.has(id)));
  }

  /**
   * The socket dropped and came back (the widget sent `call.join` again): the server closed the
   * old tab's transports, so build everything again (the local tracks are kept).
   */
  async rejoin(joinInfo: Record<string, unknown>): Promise<void> {
    const info = joinInfo as unknown as WebrtcJoinInfo;
    await this.rebuild(info.routerRtpCapabilities);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe.splice(0).forEach((off) => off());
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.stream?.getTracks().forEach((t) => t.stop());
    this.screenTrack?.stop();
    this.screenTrack = null;
    this.remoteStream.getTracks().forEach((t) => t.stop());
    this.remoteAudioStream.getTracks().forEach((t) => t.stop());
    if (this.remoteVideo) this.remoteVideo.srcObject = null;
    if (this.remoteAudio) this.remoteAudio.srcObject = null;
    if (this.selfView) this.selfView.srcObject = null;
    this.group?.close();
    this.root.remove();
  }

  private async connectMedia(routerRtpCapabilities: unknown): Promise<void> {
    if (!this.device.loaded) {
      await this.device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
    }
    const [send, recv] = await Promise.all([this.createTransport('send'), this.createTransport('recv')]);
    this.sendTransport = send;
    this.recvTransport = recv;
  }

  private async consumeExisting(): Promise<void> {
    const list = (await this.extras.signaling.request('webrtc.producers', {
      callId: this.call.id,
    })) as WebrtcProducerEvent[];
    await Promise.all(list.map((p) => this.consume(p.producerId)));
  }

  /** Drops every transport, producer and consumer and sets them up again on a fresh Device. */
  private async rebuild(routerRtpCapabilities: unknown): Promise<void> {
    if (this.closed) return;
    const generation = ++this.generation;
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    for (const remote of [...this.remotes.values()]) this.dropConsumer(remote.consumer.id);
    const paused = new Map([...this.producers].map(([source, p]) => [source, p.paused]));
    this.producers.clear();
    this.pending.clear();
    this.layers.clear();
    this.device = new Device();
    await this.connectMedia(routerRtpCapabilities);
    if (this.closed || generation !== this.generation) return;
    const stream = this.stream;
    await Promise.all([
      stream ? this.produceAll(stream, paused) : Promise.resolve(),
      this.consumeExisting(),
      this.screenTrack
        ? this.produceScreen(this.screenTrack).catch(() => this.stopScreen())
        : Promise.resolve(),
    ]);
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
      if (this.closed || transport.closed) return;
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
      if (!this.closed && !transport.closed && transport.connectionState === 'failed') {
        this.extras.report({
          type: 'error',
          message: `The media connection failed (${asError(err).message}).`,
        });
      }
    }
  }

  private async produceAll(stream: MediaStream, paused?: Map<WebrtcSource, boolean>): Promise<void> {
    const transport = this.sendTransport;
    if (!transport) return;
    const audio = stream.getAudioTracks()[0];
    const video = stream.getVideoTracks()[0];
    const jobs: Promise<void>[] = [];
    const micPaused = paused?.get('mic') ?? !this.extras.media.micEnabled;
    const cameraPaused = paused?.get('camera') ?? !this.extras.media.cameraEnabled;
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

  private async produceScreen(track: MediaStreamTrack): Promise<void> {
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

  private async stopScreen(): Promise<void> {
    const track = this.screenTrack;
    this.screenTrack = null;
    track?.stop();
    this.group?.setOwnScreen(null);
    const producer = this.producers.get('screen');
    this.producers.delete('screen');
    if (!producer) return;
    producer.close();
    await this.extras.signaling
      .request('webrtc.producer.close', { producerId: producer.id })
      .catch(() => undefined); // already closed by a host, or the call is over
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
        this.extras.report({
          type: 'error',
          message: `Your ${what} stopped working (was it unplugged?). The other side no longer receives it.`,
        });
        this.extras.report(
          source === 'mic' ? { type: 'state', muted: true } : { type: 'state', cameraOff: true },
        );
      });
    }
    if (startPaused) {
      await this.setPaused(source, true);
      if (source === 'camera' && this.selfView) this.selfView.style.visibility = 'hidden';
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
    if ([...this.remotes.values()].some((r) => r.consumer.producerId === producerId)) return;
    this.pending.add(producerId);
    try {
      const info = (await this.extras.signaling.request('webrtc.consume', {
        callId: this.call.id,
        producerId,
        rtpCapabilities: this.device.rtpCapabilities,
      })) as WebrtcConsumerInfo;
      if (this.closed || transport.closed) return;
      const consumer = await transport.consume({
        id: info.id,
        producerId: info.producerId,
        kind: info.kind,
        rtpParameters: info.rtpParameters as unknown as types.RtpParameters,
        appData: info.appData,
      });
      const source = sourceOf(info);
      this.remotes.set(consumer.id, { consumer, userId: info.userId, source });
      if (this.group) {
        this.group.addTrack(info.userId, source, consumer.track);
        if (consumer.kind === 'video' && source === 'camera') {
          this.group.setPaused(info.userId, 'video', info.producerPaused);
        }
        if (consumer.kind === 'audio') this.group.setPaused(info.userId, 'audio', info.producerPaused);
      } else if (consumer.kind === 'video' && this.remoteVideo) {
        this.remoteStream.addTrack(consumer.track);
        this.remoteVideo.srcObject = this.remoteStream;
        void this.remoteVideo.play().catch(() => undefined);
        this.root.dataset['remoteCamera'] = info.producerPaused ? 'off' : 'on';
      } else if (this.remoteAudio) {
        this.remoteAudioStream.addTrack(consumer.track);
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

  /**
   * Simulcast layer by tile height: the low layer for small tiles (a strip, a 3×3 grid), the
   * high one otherwise. Screens are sent as one layer. Asked only when it changes.
   */
  private pickLayer(userId: string, source: WebrtcSource, height: number): void {
    if (source !== 'camera' || height <= 0) return;
    const remote = [...this.remotes.values()].find(
      (r) => r.userId === userId && r.source === 'camera' && r.consumer.kind === 'video',
    );
    if (!remote) return;
    const spatialLayer = height < 240 ? 0 : 1;
    if (this.layers.get(remote.consumer.id) === spatialLayer) return;
    this.layers.set(remote.consumer.id, spatialLayer);
    void this.extras.signaling
      .request('webrtc.consumer.setPreferredLayers', { consumerId: remote.consumer.id, spatialLayer })
      .catch(() => this.layers.delete(remote.consumer.id));
  }

  private dropConsumer(consumerId: string): void {
    const remote = this.remotes.get(consumerId);
    if (!remote) return;
    this.remotes.delete(consumerId);
    this.layers.delete(consumerId);
    const { consumer } = remote;
    this.remoteStream.removeTrack(consumer.track);
    this.remoteAudioStream.removeTrack(consumer.track);
    this.group?.removeTrack(remote.userId, remote.source, consumer.track);
    consumer.close();
  }

  private onRemotePause(event: WebrtcProducerStateEvent, paused: boolean): void {
    if (event.callId !== this.call.id) return;
    const remote = [...this.remotes.values()].find((r) => r.consumer.producerId === event.producerId);
    if (!remote) return;
    const kind = remote.consumer.kind;
    if (this.group) {
      if (remote.source !== 'screen') this.group.setPaused(remote.userId, kind, paused);
      return;
    }
    if (kind === 'video') this.root.dataset['remoteCamera'] = paused ? 'off' : 'on';
    if (kind === 'audio') this.root.dataset['remoteMic'] = paused ? 'off' : 'on';
  }
}

function sourceOf(info: WebrtcConsumerInfo): WebrtcSource {
  const source = info.appData['source'];
  if (source === 'mic' || source === 'camera' || source === 'screen') return source;
  return info.kind === 'audio' ? 'mic' : 'camera';
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
