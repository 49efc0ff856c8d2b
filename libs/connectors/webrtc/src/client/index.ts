/**
 * Client half of the built-in WebRTC connector: the ES module the widget loads with `import()`
 * from `/api/providers/webrtc/client.js`. esbuild bundles it, mediasoup-client included, into one
 * self-contained file (`nx run connector-webrtc:build-client` -> dist/connectors/webrtc/client.js).
 *
 * Beyond the SDK's `init` / `canCall` / `open`, it implements the widget's optional extras:
 * `prepareMedia` (own camera while it rings, permission errors before anyone answers) and, on the
 * returned view, `setMuted` / `setCameraOff`. Signaling (`webrtc.*`) goes over the widget's socket
 * (`call.signaling`).
 */
import { assertWebrtc, requireContext, startView } from '@parley/connector-sdk/client';
import type { CallTarget } from '@parley/protocol';
import type { CallView, ClientCall, ClientConnector, ClientContext } from '@parley/connector-sdk/client';
import { WebrtcCall, acquireMedia, type InitialMedia, type WidgetCallExtras } from './webrtc-call';

let context: ClientContext | null = null;

const connector: ClientConnector & { prepareMedia(media: InitialMedia): Promise<MediaStream> } = {
  init(ctx: ClientContext): void {
    // A failed init leaves no usable state behind: canCall answers false until a good init.
    context = null;
    context = requireContext(ctx);
  },

  canCall(target: CallTarget): boolean {
    if (!context) return false;
    // One-to-one (not oneself) and the group calls of rooms and spaces (members only: the server checks).
    return target.kind === 'user' ? target.userId !== context.user.id : true;
  },

  prepareMedia(media: InitialMedia): Promise<MediaStream> {
    assertWebrtc();
    return acquireMedia(media);
  },

  async open(call: ClientCall, container: HTMLElement): Promise<CallView> {
    assertWebrtc();
    const extras = call as ClientCall & Partial<WidgetCallExtras>;
    if (!extras.signaling) throw new Error('The built-in WebRTC provider needs the Parley call widget.');
    const report = extras.report ?? ((event) => context?.emit(event));
    return startView(
      new WebrtcCall(
        call,
        {
          signaling: extras.signaling,
          media: extras.media ?? { micEnabled: true, cameraEnabled: true },
          localStream: extras.localStream ?? null,
          report,
          selfId: extras.selfId,
          nameOf: extras.nameOf,
        },
        container,
      ),
    );
  },
};

export default connector;
