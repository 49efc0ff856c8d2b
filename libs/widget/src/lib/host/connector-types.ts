/**
 * The browser half of the connector contract, from the SDK's browser-safe entry
 * (`@parley/connector-sdk/client`): the main entry point also exports the server half (NestJS,
 * node:fs), which a browser build must not type-check or bundle. Type-only: nothing is bundled.
 */
import type { CallView, ClientCall, ClientConnector, ClientEvent } from '@parley/connector-sdk/client';

export type {
  CallView,
  ClientCall,
  ClientConnector,
  ClientContext,
  ClientEvent,
} from '@parley/connector-sdk/client';

/**
 * How the widget talks to a client half beyond the SDK's minimum. The widget passes a
 * {@link WidgetClientCall} to `open()` (a `ClientCall` plus these members: structural typing, so
 * any client half still works) and uses the optional {@link WidgetCallView} methods when the
 * returned view has them. The built-in WebRTC connector uses all of it; a provider that renders
 * its own controls (Jitsi) ignores it.
 */
export interface SignalingChannel {
  /** A request over the tab's one socket (`webrtc.*`): resolves with the answer's data. */
  request(name: string, payload: unknown): Promise<unknown>;
  /** Subscribes to a server push; returns the unsubscribe function. */
  on(name: string, handler: (data: unknown) => void): () => void;
}

/** The initial media state of the local user for this call (remembered per user). */
export interface InitialMediaState {
  micEnabled: boolean;
  cameraEnabled: boolean;
}

export interface WidgetClientCall extends ClientCall {
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

/** Layouts of a group call view. */
export type GroupLayout = 'grid' | 'speaker';

export interface WidgetCallView extends CallView {
  setMuted?(muted: boolean): void | Promise<void>;
  setCameraOff?(off: boolean): void | Promise<void>;
  /** Group calls: whether the admins allow screen sharing (the button is hidden otherwise). */
  readonly screenShareAllowed?: boolean;
  setScreenSharing?(on: boolean): Promise<void>;
  setLayout?(layout: GroupLayout): void;
  setActiveSpeaker?(userId: string | null): void;
  /** Group calls: the joined participants and whose hand is up. */
  setParticipants?(userIds: readonly string[], hands: readonly string[]): void;
  /** The socket came back and `call.join` answered again: rebuild the media with the new joinInfo. */
  rejoin?(joinInfo: Record<string, unknown>): Promise<void>;
}

/**
 * Optional extra of a client half: acquire the local microphone/camera before the call is joined,
 * so the call window can show the own camera while it rings and permission problems surface
 * before anyone answers. The stream is handed back in {@link WidgetClientCall.localStream}.
 */
export interface MediaPreparingConnector extends ClientConnector {
  prepareMedia(media: InitialMediaState): Promise<MediaStream>;
}

export function canPrepareMedia(connector: ClientConnector): connector is MediaPreparingConnector {
  return typeof (connector as Partial<MediaPreparingConnector>).prepareMedia === 'function';
}
