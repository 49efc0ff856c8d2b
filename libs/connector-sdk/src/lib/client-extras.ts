import type { CallView, ClientCall, ClientConnector, ClientEvent } from './client';

/**
 * What Parley's call widget passes to a client half beyond the minimum of `client.ts`, and the
 * optional extras it uses when a client half has them. The widget's `open()` argument is a
 * {@link ParleyClientCall} (a `ClientCall` plus {@link ParleyCallExtras}: structural typing, so a
 * client half that ignores them still works); the view `open()` returns may implement the optional
 * {@link ParleyCallView} methods; the connector may implement `prepareMedia`
 * ({@link MediaPreparingConnector}). The built-in WebRTC connector uses all of it, Janus the media
 * part; a provider that renders its own controls (Jitsi) ignores it.
 */

/** Requests and pushes over the tab's one Parley socket, for a client half's own namespace (`webrtc.*`). */
export interface SignalingChannel {
  /** A request over the tab's one socket (`webrtc.*`): resolves with the answer's data. */
  request(name: string, payload: unknown): Promise<unknown>;
  /** Subscribes to a server push (every push of that name reaches it); returns the unsubscribe function. */
  on(name: string, handler: (data: unknown) => void): () => void;
}

/** The initial media state of the local user for this call (remembered per user). */
export interface InitialMediaState {
  micEnabled: boolean;
  cameraEnabled: boolean;
  /**
   * What the browser is asked for: camera and microphone (absent), `audio` only (the camera is
   * blocked or missing), or `none` (receive only: nothing is sent).
   */
  send?: 'audio' | 'none';
  /**
   * The devices the user picked before joining (`MediaDeviceInfo.deviceId`; absent: the
   * browser's default). A device that is gone falls back to the default rather than failing.
   */
  audioInputId?: string;
  videoInputId?: string;
  /** Where remote audio plays (`HTMLMediaElement.setSinkId`, where the browser has it). */
  audioOutputId?: string;
}

/** The members the widget adds to {@link ClientCall}. */
export interface ParleyCallExtras {
  signaling: SignalingChannel;
  media: InitialMediaState;
  /** Local media acquired earlier with `prepareMedia` (the client half takes ownership). */
  localStream: MediaStream | null;
  /** Events of this call (same as `ClientContext.emit`, but scoped to the call). */
  report(event: ClientEvent): void;
  /** Group calls only: the signed-in user (the client half renders a tile per participant). */
  selfId?: string;
  /** Group calls only: a participant's display name for their tile. */
  nameOf?(userId: string): string;
}

/** The call Parley's widget hands to `open()`: a {@link ClientCall} with the {@link ParleyCallExtras}. */
export interface ParleyClientCall extends ClientCall, ParleyCallExtras {}

/** Layouts of a group call view. */
export type GroupLayout = 'grid' | 'speaker';

/** A call view with the optional methods the widget calls when they are there. */
export interface ParleyCallView extends CallView {
  setMuted?(muted: boolean): void | Promise<void>;
  setCameraOff?(off: boolean): void | Promise<void>;
  /** Group calls: whether the admins allow screen sharing (the button is hidden otherwise). */
  readonly screenShareAllowed?: boolean;
  setScreenSharing?(on: boolean): Promise<void>;
  setLayout?(layout: GroupLayout): void;
  /**
   * Optional and not needed: a client half that knows who speaks highlights its tiles itself and
   * reports a `speaker` {@link ClientEvent}; the widget does not rely on calling this.
   */
  setActiveSpeaker?(userId: string | null): void;
  /** Group calls: the joined participants and whose hand is up. */
  setParticipants?(userIds: readonly string[], hands: readonly string[]): void;
  /** The socket came back and `call.join` answered again: rebuild the media with the new joinInfo. */
  rejoin?(joinInfo: Record<string, unknown>): Promise<void>;
}

/**
 * Optional extra of a client half: acquire the local microphone/camera before the call is joined,
 * so the call window can show the own camera while it rings and permission problems surface
 * before anyone answers. The stream is handed back in {@link ParleyCallExtras.localStream}.
 * The widget checks for it with its `canPrepareMedia(connector)`.
 */
export interface MediaPreparingConnector extends ClientConnector {
  prepareMedia(media: InitialMediaState): Promise<MediaStream>;
}
