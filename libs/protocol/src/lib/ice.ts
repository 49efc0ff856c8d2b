/** ICE (STUN/TURN) servers as browsers use them, and as admins manage them. */

/** Same shape as the browser's `RTCIceServer`: pass it to `new RTCPeerConnection({ iceServers })`. */
export interface IceServerConfig {
  urls: string[];
  username?: string;
  credential?: string;
}

/** `RTCIceTransportPolicy`: `relay` forces every call through TURN. */
export type IceTransportPolicy = 'all' | 'relay';
export const ICE_TRANSPORT_POLICIES: readonly IceTransportPolicy[] = ['all', 'relay'];

/**
 * What a client gets from `GET /api/ice-config` or the `ice.config` socket request: the enabled
 * servers in the admins' order, TURN REST credentials minted for the caller (never a secret).
 */
export interface IceConfig {
  iceServers: IceServerConfig[];
  iceTransportPolicy: IceTransportPolicy;
  /** ISO time when the shortest-lived credential expires; null when no server has one. Refetch before. */
  expiresAt: string | null;
}

/**
 * How a server authenticates clients:
 * - `none`: STUN, or an open TURN server;
 * - `static`: one fixed username + credential (sent to every browser as is: use only for test TURNs);
 * - `rest`: coturn `use-auth-secret` (TURN REST API): Parley mints `expiry:userId` usernames with
 *   `base64(HMAC-SHA1(sharedSecret, username))` credentials valid `ttlSeconds`.
 */
export type IceCredentialType = 'none' | 'static' | 'rest';
export const ICE_CREDENTIAL_TYPES: readonly IceCredentialType[] = ['none', 'static', 'rest'];

/** A stored secret as an admin sees it: never the value. */
export interface SecretState {
  set: boolean;
}

/** An ICE server in the admin page. */
export interface AdminIceServer {
  id: string;
  /** Free label, e.g. `Office TURN`. */
  label: string;
  /** `stun:host[:port]`, `turn:host[:port][?transport=udp|tcp]`, `turns:host[:port][?transport=tcp]`. */
  urls: string[];
  credentialType: IceCredentialType;
  /** Static username (credentialType `static`), else null. */
  username: string | null;
  /** Static credential (credentialType `static`): write-only. */
  credential: SecretState;
  /** Shared secret (credentialType `rest`): write-only. */
  sharedSecret: SecretState;
  /** Lifetime of minted credentials in seconds (credentialType `rest`), else null. */
  ttlSeconds: number | null;
  enabled: boolean;
  /** Position in the list (0 = first). */
  order: number;
  /** The seeded public STUN entry (see `AdminIceSettings.warning`). */
  isDefault: boolean;
  updatedAt: string;
}

/**
 * Body of `POST /api/admin/ice-servers` (all fields except `urls` optional) and
 * `PUT /api/admin/ice-servers/:id` (a patch: omitted fields keep their value).
 * Secrets: a string sets, `null` clears, omitted keeps.
 */
export interface IceServerInput {
  label?: string;
  urls?: string[];
  credentialType?: IceCredentialType;
  username?: string | null;
  credential?: string | null;
  sharedSecret?: string | null;
  ttlSeconds?: number | null;
  enabled?: boolean;
}

/** `GET /api/admin/ice-servers`. */
export interface AdminIceSettings {
  servers: AdminIceServer[];
  iceTransportPolicy: IceTransportPolicy;
  /**
   * Set while the seeded public STUN server is the only enabled server: calls between networks
   * behind NAT need a TURN server of your own (eXo's production warning).
   */
  warning: string | null;
}

/** `PUT /api/admin/ice-servers`: reorder (every id once) and/or change the transport policy. */
export interface IceSettingsUpdate {
  order?: string[];
  iceTransportPolicy?: IceTransportPolicy;
}

/**
 * `POST /api/admin/ice-servers/:id/test`: that ONE server, browser-usable, with short-lived
 * credentials, for the admin page's Test button (gather candidates against it alone).
 */
export interface IceServerTest {
  iceServer: IceServerConfig;
  /** `relay` when the server is a TURN server (so only relay candidates count), else `all`. */
  iceTransportPolicy: IceTransportPolicy;
  /** What a working server yields: `srflx` for STUN, `relay` for TURN. */
  expect: 'srflx' | 'relay';
  expiresAt: string | null;
}
