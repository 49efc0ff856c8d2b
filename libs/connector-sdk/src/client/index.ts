/**
 * `@parley/connector-sdk/client`: the browser half of the connector contract and small
 * browser-side helpers for a connector's client half, for halves written in TypeScript and
 * bundled (esbuild inlines them; nothing here touches Node or the server-side SDK).
 *
 * The contract (type-only, `../lib/client.ts` + `../lib/client-extras.ts`): {@link ClientConnector}
 * and what it gets and returns, plus what Parley's widget passes beyond it
 * ({@link ParleyClientCall}: signaling, initial media, a prepared stream, `report`, group-call
 * members) and uses when present ({@link ParleyCallView}, {@link MediaPreparingConnector}).
 *
 * Helpers, used by the built-in WebRTC connector and the Janus plug-in:
 * - {@link assertWebrtc}, {@link acquireMedia}, {@link playOn}: the browser can call, the local mic +
 *   camera (the devices picked before joining), and remote audio on the speaker picked;
 * - {@link requireContext}, {@link startView}, {@link callExtras}: the checks of `init`, the start
 *   of `open`, and the widget's extras of a call with defaults;
 * - {@link mediaConnector}: the whole `ClientConnector` (+ `prepareMedia`) of a browser-media
 *   provider from its `canCall` rule and its view;
 * - {@link createOneToOneStage}: the one-to-one call view (remote video large, hidden remote audio,
 *   mirrored self-view miniature bottom-right), with the data-testids the end-to-end tests use.
 */
export type * from '../lib/client';
export { acquireMedia, assertWebrtc, playOn, type InitialMedia } from './media';
export { callExtras, requireContext, startView, type CallExtras } from './lifecycle';
export { mediaConnector, type MediaConnectorParts } from './media-connector';
export { createOneToOneStage, el, type OneToOneStage } from './one-to-one-stage';
