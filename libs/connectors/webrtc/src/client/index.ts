/**
 * Client half of the built-in WebRTC connector: the ES module the widget loads with `import()`
 * from `/api/providers/webrtc/client.js`. esbuild bundles it, mediasoup-client included, into one
 * self-contained file (`nx run connector-webrtc:build-client` -> dist/connectors/webrtc/client.js).
 *
 * Beyond the SDK's `init` / `canCall` / `open`, it implements the widget's optional extras
 * (`@parley/connector-sdk/client`, `client-extras.ts`): `prepareMedia` (own camera while it rings,
 * permission errors before anyone answers) and, on the returned view, the `ParleyCallView` methods.
 * Signaling (`webrtc.*`) goes over the widget's socket (`call.signaling`); who speaks is reported
 * as `speaker` events. Files: webrtc-call.ts (one call: pushes, consumers, screen share, rebuild),
 * webrtc-media.ts (Device, transports, producers), call-stage.ts (the one-to-one view),
 * group-stage.ts (the group tiles).
 */
import { mediaConnector } from '@parley/connector-sdk/client';
import { WebrtcCall } from './webrtc-call';

export default mediaConnector({
  // One-to-one (not oneself) and the group calls of rooms and spaces (members only: the server checks).
  canCall: (target, context) => (target.kind === 'user' ? target.userId !== context.user.id : true),
  view(call, container, { signaling, ...extras }) {
    if (!signaling) throw new Error('The built-in WebRTC provider needs the Parley call widget.');
    return new WebrtcCall(call, { ...extras, signaling }, container);
  },
});
