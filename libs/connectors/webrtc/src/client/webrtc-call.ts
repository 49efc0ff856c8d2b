import type { types } from 'mediasoup-client';
import type {
  WebrtcActiveSpeakerEvent,
  WebrtcConsumerClosedEvent,
  WebrtcConsumerInfo,
  WebrtcJoinInfo,
  WebrtcProducerEvent,
  WebrtcProducerStateEvent,
  WebrtcResetEvent,
  WebrtcSource,
  WebrtcSpeakingEvent,
} from '@parley/protocol';
import {
  acquireMedia,
  type ClientCall,
  type GroupLayout,
  type ParleyCallExtras,
  type ParleyCallView,
} from '@parley/connector-sdk/client';
import { OneToOneView, type CallStage } from './call-stage';
import { GroupStage } from './group-stage';
import type { CandidateType } from './quality';
import { QualityMonitor, type QualityUpdate } from './quality-monitor';
import { WebrtcMedia } from './webrtc-media';

export { cameraEncodings } from './webrtc-media';

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

/**
 * One joined call: its media ({@link WebrtcMedia}: Device, transports, mic/camera/screen
 * producers), a consumer per remote producer, and the view ({@link CallStage}). One-to-one:
 * remote video large, self-view miniature bottom-right ({@link OneToOneView}). Group (when the
 * widget passes `selfId`): a tile per participant ({@link GroupStage}); the dominant speaker's
 * tile is highlighted from `webrtc.activeSpeaker`, and who speaks is reported to the widget as a
 * `speaker` event.
 *
 * After a socket drop (`rejoin`) or a media server restart (`webrtc.reset`) the transports are
 * gone on the server: everything is rebuilt on a fresh Device from the same local tracks.
 */
export class WebrtcCall implements ParleyCallView {
  private readonly joinInfo: WebrtcJoinInfo;
  private readonly media: WebrtcMedia;
  private readonly remotes = new Map<string, RemoteMedia>();
  private readonly pending = new Set<string>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly layers = new Map<string, number>();
  private stream: MediaStream | null;
  private screenTrack: MediaStreamTrack | null = null;
  private closed = false;
  private generation = 0;
  private readonly stage: CallStage;
  private readonly group: GroupStage | null;
  private readonly quality: QualityMonitor;
  /** The candidate type last told the server, per transport id (for the admins' Calls tab). */
  private readonly toldCandidates = new Map<string, CandidateType>();

  constructor(
    private readonly call: ClientCall,
    private readonly extras: ParleyCallExtras,
    container: HTMLElement,
  ) {
    this.joinInfo = call.joinInfo as unknown as WebrtcJoinInfo;
    this.stream = extras.localStream;
    this.media = new WebrtcMedia({
      callId: call.id,
      joinInfo: this.joinInfo,
      signaling: extras.signaling,
      media: extras.media,
      report: (event) => extras.report(event),
      localStream: () => this.stream,
      onStartPaused: (source) => {
        if (source === 'camera') this.stage.setOwnCameraOff?.(true);
      },
    });
    this.quality = new QualityMonitor(
      {
        sender: () => this.media.sender,
        receiver: () => this.media.receiver,
        userOfTrack: (trackId) =>
          [...this.remotes.values()].find((r) => r.consumer.track.id === trackId)?.userId ?? null,
      },
      (update) => this.onQuality(update),
    );
    if (extras.selfId) {
      const nameOf = extras.nameOf ?? ((id: string) => id);
      this.group = new GroupStage(
        container,
        extras.selfId,
        nameOf,
        (userId, source, height) => this.pickLayer(userId, source, height),
        extras.media.audioOutputId,
      );
      this.stage = this.group;
      return;
    }
    this.group = null;
    this.stage = new OneToOneView(container);
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
      signaling.on('webrtc.activeSpeaker', (data) => {
        const event = data as WebrtcActiveSpeakerEvent;
        if (event.callId !== callId || this.closed) return;
        this.group?.setActiveSpeaker(event.userId);
        this.extras.report({ type: 'speaker', dominant: event.userId });
      }),
      signaling.on('webrtc.speaking', (data) => {
        const event = data as WebrtcSpeakingEvent;
        if (event.callId !== callId || this.closed) return;
        this.extras.report({ type: 'speaker', speaking: event.speakers.map((s) => s.userId) });
      }),
    );

    const [, stream] = await Promise.all([
      this.media.connect(this.joinInfo.routerRtpCapabilities),
      this.stream ? Promise.resolve(this.stream) : acquireMedia(this.extras.media),
    ]);
    this.stream = stream;
    if (this.closed) return;
    this.stage.setSelf(stream);
    await Promise.all([this.media.produceAll(stream), this.consumeExisting()]);
    this.extras.report({ type: 'joined' });
    this.quality.start();
  }

  async setMuted(muted: boolean): Promise<void> {
    await this.media.setPaused('mic', muted);
  }

  async setCameraOff(off: boolean): Promise<void> {
    await this.media.setPaused('camera', off);
    this.stage.setOwnCameraOff?.(off);
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
      await this.media.produceScreen(track);
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

  /** Not needed (the `webrtc.activeSpeaker` pushes drive the stage); harmless when a host calls it. */
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
    this.quality.stop();
    this.media.close();
    this.stream?.getTracks().forEach((t) => t.stop());
    this.screenTrack?.stop();
    this.screenTrack = null;
    this.stage.close();
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
    const paused = this.media.reset();
    for (const remote of [...this.remotes.values()]) this.dropConsumer(remote.consumer.id);
    this.pending.clear();
    this.layers.clear();
    await this.media.connect(routerRtpCapabilities);
    if (this.closed || generation !== this.generation) return;
    const stream = this.stream;
    await Promise.all([
      stream ? this.media.produceAll(stream, paused) : Promise.resolve(),
      this.consumeExisting(),
      this.screenTrack
        ? this.media.produceScreen(this.screenTrack).catch(() => this.stopScreen())
        : Promise.resolve(),
    ]);
  }

  private async stopScreen(): Promise<void> {
    const track = this.screenTrack;
    this.screenTrack = null;
    track?.stop();
    this.group?.setOwnScreen(null);
    await this.media.closeScreen();
  }

  private async consume(producerId: string): Promise<void> {
    const transport = this.media.receiver;
    if (!transport || this.closed || this.pending.has(producerId)) return;
    if ([...this.remotes.values()].some((r) => r.consumer.producerId === producerId)) return;
    this.pending.add(producerId);
    try {
      const info = (await this.extras.signaling.request('webrtc.consume', {
        callId: this.call.id,
        producerId,
        rtpCapabilities: this.media.rtpCapabilities,
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
      this.stage.addRemote(info.userId, source, consumer.track, info.producerPaused);
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

  /**
   * New quality levels: the tiles' indicators, a `quality` event for the widget (the uplink
   * notice) and, when a transport's candidate type changed, `webrtc.quality` for the admins.
   */
  private onQuality({ uplink, participants, candidates }: QualityUpdate): void {
    if (this.closed) return;
    const selfId = this.extras.selfId;
    if (uplink && selfId) this.group?.setQuality(selfId, uplink);
    for (const [userId, level] of participants) this.group?.setQuality(userId, level);
    this.extras.report({
      type: 'quality',
      ...(uplink ? { uplink } : {}),
      participants: Object.fromEntries(participants),
    });
    for (const [transportId, candidateType] of candidates) {
      if (this.toldCandidates.get(transportId) === candidateType) continue;
      this.toldCandidates.set(transportId, candidateType);
      void this.extras.signaling
        .request('webrtc.quality', { transportId, candidateType })
        .catch(() => this.toldCandidates.delete(transportId));
    }
  }

  private dropConsumer(consumerId: string): void {
    const remote = this.remotes.get(consumerId);
    if (!remote) return;
    this.remotes.delete(consumerId);
    this.layers.delete(consumerId);
    const { consumer } = remote;
    this.stage.removeTrack(remote.userId, remote.source, consumer.track);
    consumer.close();
  }

  private onRemotePause(event: WebrtcProducerStateEvent, paused: boolean): void {
    if (event.callId !== this.call.id) return;
    const remote = [...this.remotes.values()].find((r) => r.consumer.producerId === event.producerId);
    if (!remote) return;
    this.stage.setRemotePaused(remote.userId, remote.source, remote.consumer.kind, paused);
  }
}

function sourceOf(info: WebrtcConsumerInfo): WebrtcSource {
  const source = info.appData['source'];
  if (source === 'mic' || source === 'camera' || source === 'screen') return source;
  return info.kind === 'audio' ? 'mic' : 'camera';
}
