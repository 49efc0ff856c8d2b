/**
 * What a {@link WebrtcCall} renders into: a {@link CallStage}. One-to-one calls get the
 * {@link OneToOneView} below (the SDK's one-to-one stage: remote video large, hidden remote audio,
 * self-view miniature bottom-right); group calls a `GroupStage` (group-stage.ts, a tile per
 * participant and per screen share).
 */
import { createOneToOneStage, type OneToOneStage } from '@parley/connector-sdk/client';
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

/** The one-to-one view: every remote video track in the large video, every audio track in the hidden audio. */
export class OneToOneView implements CallStage {
  readonly root: HTMLElement;
  private readonly stage: OneToOneStage;

  constructor(container: HTMLElement) {
    this.stage = createOneToOneStage(container, 'parley-webrtc', new MediaStream(), new MediaStream());
    this.root = this.stage.root;
  }

  setSelf(stream: MediaStream): void {
    this.stage.showSelf(stream);
  }

  addRemote(_userId: string, _source: WebrtcSource, track: MediaStreamTrack, paused: boolean): void {
    this.stage.addRemote(track);
    if (track.kind === 'video') this.root.dataset['remoteCamera'] = paused ? 'off' : 'on';
  }

  removeTrack(_userId: string, _source: WebrtcSource, track: MediaStreamTrack): void {
    this.stage.removeRemote(track);
  }

  setRemotePaused(_userId: string, _source: WebrtcSource, kind: 'audio' | 'video', paused: boolean): void {
    this.root.dataset[kind === 'video' ? 'remoteCamera' : 'remoteMic'] = paused ? 'off' : 'on';
  }

  setOwnCameraOff(off: boolean): void {
    this.stage.hideSelf(off);
  }

  close(): void {
    this.stage.close();
  }
}
