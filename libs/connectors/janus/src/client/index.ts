/**
 * Client half of the Janus connector: the ES module the widget loads with `import()` from
 * `/api/providers/janus/client.js`. esbuild bundles it (our own small Janus WebSocket client
 * included, no dependency) into one self-contained file: `nx run connector-janus:build-client` ->
 * dist/connectors/janus/client.mjs, copied into the package by the server build.
 *
 * It implements the widget's optional extras like the built-in connector (`prepareMedia`,
 * `setMuted`, `setCameraOff`), so the call window is the same.
 */
import { assertWebrtc, requireContext, startView } from '@parley/connector-sdk/client';
import type { CallTarget } from '@parley/protocol';
import type { CallView, ClientCall, ClientConnector, ClientContext } from '@parley/connector-sdk/client';
import { JanusCall, acquireMedia, type InitialMedia, type WidgetCallExtras } from './janus-call';

let context: ClientContext | null = null;

const connector: ClientConnector & { prepareMedia(media: InitialMedia): Promise<MediaStream> } = {
  init(ctx: ClientContext): void {
    // A failed init leaves no usable state behind: canCall answers false until a good init.
    context = null;
    context = requireContext(ctx);
  },

  canCall(target: CallTarget): boolean {
    if (!context) return false;
    if (target.kind === 'user') return target.userId !== context.user.id;
    return target.kind === 'room';
  },

  prepareMedia(media: InitialMedia): Promise<MediaStream> {
    assertWebrtc();
    return acquireMedia(media);
  },

  async open(call: ClientCall, container: HTMLElement): Promise<CallView> {
    assertWebrtc();
    const extras = call as ClientCall & Partial<WidgetCallExtras>;
    const report = extras.report ?? ((event) => context?.emit(event));
    return startView(
      new JanusCall(
        call,
        {
          media: extras.media ?? { micEnabled: true, cameraEnabled: true },
          localStream: extras.localStream ?? null,
          report,
        },
        container,
      ),
    );
  },
};

export default connector;
