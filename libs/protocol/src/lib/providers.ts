/**
 * Call providers as the portal sees them. A provider is one connector (built-in WebRTC, Jitsi,
 * a third party's plug-in) that the admins activated and configured.
 */

/** What a call is placed on: one person (one-to-one), a chat room, or a space. */
export type CallTargetKind = 'user' | 'room' | 'space';
export const CALL_TARGET_KINDS: readonly CallTargetKind[] = ['user', 'room', 'space'];

/** A concrete call target: the other person for a one-to-one call, or the room/space for a group call. */
export type CallTarget = { kind: 'user'; userId: string } | { kind: 'room' | 'space'; roomId: string };

/** What a provider can do; the widget hides what a provider does not declare. */
export type ProviderCapability =
  'audio' | 'video' | 'screenShare' | 'recording' | 'chat' | 'guests' | 'raiseHand' | 'reactions';
export const PROVIDER_CAPABILITIES: readonly ProviderCapability[] = [
  'audio',
  'video',
  'screenShare',
  'recording',
  'chat',
  'guests',
  'raiseHand',
  'reactions',
];

/**
 * Link-out mode of a provider (`ProviderDescriptor.linkOut`): the call happens on the provider's own
 * meeting page, the URL in the join info (`joinInfo.url`), which the widget opens in a new tab
 * (`tab`) or inside the call window (`frame`). Parley still tracks the call (ringing, history,
 * presence); the call window shows only the controls the capabilities declare.
 */
export type LinkOutMode = 'tab' | 'frame';
export const LINK_OUT_MODES: readonly LinkOutMode[] = ['tab', 'frame'];

/** A per-user account field a provider asks for on profiles (eXo "IM" entries), e.g. a Skype id. */
export interface ImAccountField {
  /** Label shown on the profile, e.g. `Skype`. */
  label: string;
  /** Optional regular expression (JavaScript syntax) the value must match. */
  pattern?: string;
  /** Placeholder / help text. */
  placeholder?: string;
}

/**
 * One of a user's IM accounts: their value of a provider's {@link ImAccountField}.
 * `GET /api/users/:id/im-accounts` (any signed-in user), `PUT`/`DELETE /api/me/im-accounts/:type`.
 */
export interface UserImAccount {
  providerType: string;
  value: string;
}

/** `PUT /api/me/im-accounts/:type`: the value, checked against the provider's `pattern`. */
export interface SetImAccountRequest {
  value: string;
}

/** Longest IM account value accepted. */
export const MAX_IM_ACCOUNT_LENGTH = 200;

/**
 * A provider a signed-in user may call with: active, configured, loaded without error and, when
 * its connector's health gates availability (Janus), not failing its last health check.
 * `GET /api/providers`, the `providers.list` socket request and the `providers.changed` push
 * return only these, ordered as the admins ordered them (first = default choice).
 */
export interface ProviderDescriptor {
  /** Stable id of the connector, e.g. `webrtc`, `jitsi`. */
  type: string;
  title: string;
  version: string;
  description: string;
  capabilities: ProviderCapability[];
  supportedTargets: CallTargetKind[];
  /**
   * URL of the client half, an ES module the widget loads with `import()`
   * (`/api/providers/<type>/client.js?v=<version>-<revision>`; the query changes whenever the
   * provider's settings change, so a cached module is never stale).
   */
  clientModuleUrl: string;
  /** Position in the admins' order (0 = first). */
  order: number;
  imAccount: ImAccountField | null;
  /** Link-out mode ({@link LinkOutMode}); absent when the client half renders the call. */
  linkOut?: LinkOutMode;
}

/** Payload of the `providers.changed` push: the full list usable by the receiving user. */
export interface ProvidersChanged {
  providers: ProviderDescriptor[];
}
