/**
 * Client half of the Janus connector: the ES module the widget loads with `import()` from
 * `/api/providers/janus/client.js`. esbuild bundles it (our own small Janus WebSocket client
 * included, no dependency) into one self-contained file: `nx run connector-janus:build-client` ->
 * dist/connectors/janus/client.mjs, copied into the package by the server build.
 *
 * It implements the widget's optional extras like the built-in connector (`prepareMedia`,
 * `setMuted`, `setCameraOff`), so the call window is the same.
 */
import { mediaConnector } from '@parley/connector-sdk/client';
import { JanusCall } from './janus-call';

export default mediaConnector({
  // One-to-one (not oneself) and the calls of rooms.
  canCall: (target, context) =>
    target.kind === 'user' ? target.userId !== context.user.id : target.kind === 'room',
  view: (call, container, extras) => new JanusCall(call, extras, container),
});
