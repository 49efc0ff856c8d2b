import type { CallTarget, IceConfig, ProviderDescriptor, UserSummary } from '@parley/protocol';

/**
 * The browser half of the connector contract. This file is the minimum every client half
 * implements ({@link ClientConnector}: `init`, `canCall`, `open`); `client-extras.ts` adds what
 * Parley's call widget passes and uses beyond it ({@link ParleyClientCall}, {@link ParleyCallView},
 * `prepareMedia`). Type-only: nothing here is bundled. Both are exported from
 * `@parley/connector-sdk/client` (browser-safe) and from the main entry.
 */

/** Events the client half reports back to the widget. */
export type ClientEvent =
  | { type: 'joined' }
  | { type: 'left' }
  /**
   * The call is over for this user (the widget hangs it up). `reason`, when given, is the end
   * message the call window shows (e.g. `Janus, the call provider, is unavailable: …`); without it
   * the widget says `Call ended`. `providerUnavailable`: the provider itself went away (its
   * server cannot be reached): the other side of a one-to-one call is told so too, and the call
   * is recorded as failed rather than completed.
   */
  | { type: 'ended'; reason?: string; providerUnavailable?: boolean }
  | { type: 'error'; message: string }
  | { type: 'state'; muted?: boolean; cameraOff?: boolean; screenSharing?: boolean }
  /**
   * Who is speaking, in the provider's own terms turned into user ids (any provider may send it;
   * the built-in WebRTC one turns its `webrtc.activeSpeaker` / `webrtc.speaking` pushes into it).
   * `dominant`: the user id of the dominant speaker, present when it changed (`null`: nobody).
   * `speaking`: the user ids speaking now, present when that changed (empty: silence). Either or
   * both may be present. The widget shows them (speaking dots in the participant list, the active
   * speaker); the client half highlights its own tiles itself.
   */
  | { type: 'speaker'; dominant?: string | null; speaking?: readonly string[] }
  /**
   * Connection quality as the client half measures it (any provider may send it; the built-in
   * WebRTC one samples its transports' stats every 2 s). `uplink`: what this user sends (the
   * widget warns when it is poor); `participants`: per remote user id, what arrives from them.
   * Either may be present; sent when a level changes.
   */
  | { type: 'quality'; uplink?: CallQuality; participants?: Readonly<Record<string, CallQuality>> };

/** A connection's quality, by the provider's own thresholds. */
export type CallQuality = 'good' | 'fair' | 'poor';

/** What the widget hands to a client half once, at {@link ClientConnector.init}. */
export interface ClientContext {
  /** The provider as the portal sees it (title, capabilities, …). */
  provider: ProviderDescriptor;
  /** The signed-in user. */
  user: UserSummary;
  /** Origin of the Parley server, e.g. `https://parley.example.com`. */
  serverUrl: string;
  /** Fresh ICE servers (short-lived TURN credentials). */
  iceConfig(): Promise<IceConfig>;
  /** Report an event to the widget (joined, left, ended, error, media state, speakers). */
  emit(event: ClientEvent): void;
}

/** A call the widget asks the client half to open. */
export interface ClientCall {
  id: string;
  target: CallTarget;
  title: string;
  /** What the server half's `joinInfo` returned for this user. */
  joinInfo: Record<string, unknown>;
}

/** The rendered call view; `close()` leaves the call and removes what `open` added. */
export interface CallView {
  close(): void | Promise<void>;
}

/**
 * The client half of a connector: the default export of its ES module. If `init` throws or
 * rejects, or `canCall` throws, the widget shows no button for this provider and carries on.
 */
export interface ClientConnector {
  init(context: ClientContext): void | Promise<void>;
  /** Whether a button should be shown for this target. */
  canCall(target: CallTarget): boolean | Promise<boolean>;
  /** Render the call into `container` (an element the widget owns). */
  open(call: ClientCall, container: HTMLElement): CallView | Promise<CallView>;
}

export * from './client-extras';
