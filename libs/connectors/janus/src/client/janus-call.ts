import { acquireMedia, createOneToOneStage, type OneToOneStage } from '@parley/connector-sdk/client';
import type { CallView, ClientCall, ParleyCallExtras } from '@parley/connector-sdk/client';
import { JanusSession, type JanusEvent, type Jsep } from './janus-session';

const VIDEOROOM = 'janus.plugin.videoroom';

/** What the server half's joinInfo returns (see `JanusJoinInfo`). */
export interface JanusJoinInfo {
  gatewayUrl: string;
  room: number;
  pin: string;
  token: string | null;
  display: string;
  iceServers: RTCIceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
}

/** The widget's extras this client half uses (`@parley/connector-sdk/client`, `ParleyCallExtras`). */
export type JanusCallExtras = Pick<ParleyCallExtras, 'media' | 'localStream' | 'report'>;

interface Publisher {
  id: number;
}

/**
 * One joined call: a Janus session with a VideoRoom publisher handle (our mic + camera) and one
 * multistream subscriber handle (every remote feed), and the same view as the built-in connector
 * (remote video large, self-view miniature bottom-right).
 */
export class JanusCall implements CallView {
  private readonly info: JanusJoinInfo;
  private readonly session: JanusSession;
  private publisherHandle: number | null = null;
  private subscriberHandle: number | null = null;
  private privateId: number | null = null;
  private publishPc: RTCPeerConnection | null = null;
  private subscribePc: RTCPeerConnection | null = null;
  private subscribing: Promise<void> = Promise.resolve();
  private readonly subscribed = new Set<number>();
  private stream: MediaStream | null;
  private closed = false;
  private readonly stage: OneToOneStage;

  constructor(
    call: ClientCall,
    private readonly extras: JanusCallExtras,
    container: HTMLElement,
  ) {
    this.info = call.joinInfo as unknown as JanusJoinInfo;
    this.stream = extras.localStream;
    this.session = new JanusSession(this.info.gatewayUrl, this.info.token, (reason) => this.onLost(reason));
    this.stage = createOneToOneStage(container, 'parley-janus', new MediaStream(), new MediaStream());
  }

  async start(): Promise<void> {
    const [stream] = await Promise.all([
      this.stream ? Promise.resolve(this.stream) : acquireMedia(this.extras.media),
      this.session.connect(),
    ]);
    this.stream = stream;
    if (this.closed) return;
    this.stage.showSelf(stream);

    const handle = await this.session.attach(VIDEOROOM, (event) => this.onPublisherEvent(event));
    this.publisherHandle = handle;
    const joined = await this.session.message(handle, {
      request: 'join',
      ptype: 'publisher',
      room: this.info.room,
      pin: this.info.pin,
      display: this.info.display,
    });
    const data = joined.plugindata?.data ?? {};
    this.privateId = typeof data['private_id'] === 'number' ? data['private_id'] : null;
    this.onPublishers(data['publishers']);
    await this.publish(stream);
    this.extras.report({ type: 'joined' });
  }

  async setMuted(muted: boolean): Promise<void> {
    await this.setSending('audio', !muted);
  }

  async setCameraOff(off: boolean): Promise<void> {
    await this.setSending('video', !off);
    this.stage.hideSelf(off);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.session.close();
    this.publishPc?.close();
    this.subscribePc?.close();
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stage.close();
  }

  private onLost(reason: string): void {
    if (this.closed) return;
    this.extras.report({
      type: 'ended',
      reason: `Janus, the call provider, is unavailable: ${reason}.`,
      providerUnavailable: true,
    });
  }

  private async publish(stream: MediaStream): Promise<void> {
    const handle = this.publisherHandle;
    if (handle === null) return;
    const pc = this.peerConnection(handle);
    this.publishPc = pc;
    for (const track of stream.getTracks())
      pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const answer = await this.session.message(
      handle,
      {
        request: 'configure',
        audio: this.extras.media.micEnabled,
        video: this.extras.media.cameraEnabled,
      },
      { type: 'offer', sdp: offer.sdp ?? '' },
    );
    if (!answer.jsep) throw new Error('Janus did not answer the media offer');
    await pc.setRemoteDescription(answer.jsep);
  }

  private peerConnection(handle: number): RTCPeerConnection {
    const pc = new RTCPeerConnection({
      iceServers: this.info.iceServers,
      iceTransportPolicy: this.info.iceTransportPolicy,
    });
    pc.onicecandidate = (event) => this.session.trickle(handle, event.candidate);
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' && !this.closed) {
        this.extras.report({ type: 'error', message: 'The media connection to Janus failed.' });
      }
    };
    return pc;
  }

  private onPublisherEvent(event: JanusEvent): void {
    const data = event.plugindata?.data ?? {};
    if (data['videoroom'] === 'destroyed') {
      if (!this.closed) this.extras.report({ type: 'ended' });
      return;
    }
    this.onPublishers(data['publishers']);
  }

  private onPublishers(list: unknown): void {
    if (!Array.isArray(list)) return;
    const fresh = (list as Publisher[]).filter((p) => typeof p.id === 'number' && !this.subscribed.has(p.id));
    if (fresh.length === 0) return;
    fresh.forEach((p) => this.subscribed.add(p.id));
    const streams = fresh.map((p) => ({ feed: p.id }));
    this.subscribing = this.subscribing
      .then(() => this.subscribe(streams))
      .catch((err: unknown) => {
        if (!this.closed) console.warn('[parley] janus: could not receive a remote stream', err);
      });
  }

  private async subscribe(streams: { feed: number }[]): Promise<void> {
    if (this.closed) return;
    let answer: JanusEvent;
    if (this.subscriberHandle === null) {
      const handle = await this.session.attach(VIDEOROOM, () => undefined);
      this.subscriberHandle = handle;
      answer = await this.session.message(handle, {
        request: 'join',
        ptype: 'subscriber',
        room: this.info.room,
        pin: this.info.pin,
        streams,
        ...(this.privateId !== null ? { private_id: this.privateId } : {}),
      });
    } else {
      answer = await this.session.message(this.subscriberHandle, { request: 'subscribe', streams });
    }
    if (answer.jsep) await this.acceptOffer(answer.jsep);
  }

  private async acceptOffer(offer: Jsep): Promise<void> {
    const handle = this.subscriberHandle;
    if (handle === null || this.closed) return;
    if (!this.subscribePc) {
      const pc = this.peerConnection(handle);
      pc.ontrack = (event) => this.onTrack(event.track);
      this.subscribePc = pc;
    }
    const pc = this.subscribePc;
    await pc.setRemoteDescription(offer);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await this.session.message(handle, { request: 'start' }, { type: 'answer', sdp: answer.sdp ?? '' });
  }

  private onTrack(track: MediaStreamTrack): void {
    this.stage.addRemote(track);
    track.addEventListener('ended', () => this.stage.removeRemote(track));
  }

  private async setSending(kind: 'audio' | 'video', send: boolean): Promise<void> {
    this.stream
      ?.getTracks()
      .filter((t) => t.kind === kind)
      .forEach((t) => (t.enabled = send));
    const handle = this.publisherHandle;
    if (handle === null || this.closed) return;
    await this.session.message(handle, { request: 'configure', [kind]: send });
  }
}
