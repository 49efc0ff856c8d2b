/**
 * What a {@link WebrtcCall} renders into: a {@link CallStage}. One-to-one calls get the
 * {@link OneToOneView} below (the SDK's one-to-one stage: remote video large, hidden remote audio,
 * self-view miniature bottom-right); group calls a `GroupStage` (group-stage.ts, a tile per
 * participant and per screen share).
 */
import { createOneToOneStage, el, type OneToOneStage } from '@parley/connector-sdk/client';
import type { WebrtcSource } from '@parley/protocol';

export interface CallStage {
  readonly root: HTMLElement;
  /** The local stream: the own camera preview. */
  setSelf(stream: MediaStream): void;
  /** A remote track arrived; `paused`: its producer is paused (mic or camera off). */
  addRemote(userId: string, source: WebrtcSource, track: MediaStreamTrack, paused: boolean): void;
  /** A remote track went away. */
  removeTrack(userId: string, source: WebrtcSource, track: MediaStreamTrack): void;
  /** A remote producer was paused or resumed. */
  setRemotePaused(userId: string, source: WebrtcSource, kind: 'audio' | 'video', paused: boolean): void;
  /** The own camera was switched off or on (the one-to-one self-view hides). */
  setOwnCameraOff?(off: boolean): void;
  close(): void;
}

/**
 * The one-to-one view: the remote camera in the large video, every audio track in the hidden
 * audio. A remote screen share (`data-testid="remote-screen"`) takes the large area while it
 * lasts, the remote camera moving to a miniature top-left.
 */
export class OneToOneView implements CallStage {
  readonly root: HTMLElement;
  private readonly stage: OneToOneStage;
  private screen: HTMLVideoElement | null = null;

  constructor(container: HTMLElement) {
    this.stage = createOneToOneStage(container, 'parley-webrtc', new MediaStream(), new MediaStream());
    this.root = this.stage.root;
  }

  setSelf(stream: MediaStream): void {
    this.stage.showSelf(stream);
  }

  addRemote(_userId: string, source: WebrtcSource, track: MediaStreamTrack, paused: boolean): void {
    if (source === 'screen' && track.kind === 'video') return this.showScreen(track);
    this.stage.addRemote(track);
    if (track.kind === 'video') this.root.dataset['remoteCamera'] = paused ? 'off' : 'on';
  }

  removeTrack(_userId: string, source: WebrtcSource, track: MediaStreamTrack): void {
    if (source === 'screen' && track.kind === 'video') return this.showScreen(null);
    this.stage.removeRemote(track);
  }

  setRemotePaused(_userId: string, _source: WebrtcSource, kind: 'audio' | 'video', paused: boolean): void {
    this.root.dataset[kind === 'video' ? 'remoteCamera' : 'remoteMic'] = paused ? 'off' : 'on';
  }

  setOwnCameraOff(off: boolean): void {
    this.stage.hideSelf(off);
  }

  close(): void {
    this.showScreen(null);
    this.stage.close();
  }

  /** Shows the other side's shared screen large (the camera as a miniature), or goes back. */
  private showScreen(track: MediaStreamTrack | null): void {
    this.screen?.remove();
    this.screen = null;
    const camera = this.stage.remoteVideo.style;
    if (!track) {
      Object.assign(camera, { position: '', top: '', left: '', width: '100%', height: '100%', zIndex: '' });
      delete this.root.dataset['remoteScreen'];
      return;
    }
    const screen = el('video', 'parley-webrtc-screen', {
      position: 'absolute',
      inset: '0',
      width: '100%',
      height: '100%',
      objectFit: 'contain',
      background: '#0b1220',
    });
    screen.dataset['testid'] = 'remote-screen';
    screen.autoplay = true;
    screen.muted = true;
    screen.playsInline = true;
    screen.srcObject = new MediaStream([track]);
    this.screen = screen;
    this.root.prepend(screen);
    Object.assign(camera, {
      position: 'absolute',
      top: '12px',
      left: '12px',
      width: '24%',
      height: 'auto',
      zIndex: '1',
    });
    this.root.dataset['remoteScreen'] = 'on';
    void screen.play().catch(() => undefined);
  }
}
