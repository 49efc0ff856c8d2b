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
import type { CallTarget } from '@parley/protocol';
import type {
  CallView,
  ClientCall,
  ClientConnector,
  ClientContext,
} from '../../../../connector-sdk/src/lib/client';
import { WebrtcCall, acquireMedia, type InitialMedia, type WidgetCallExtras } from './webrtc-call';

let context: ClientContext | null = null;

const connector: ClientConnector & { prepareMedia(media: InitialMedia): Promise<MediaStream> } = {
  init(ctx: ClientContext): void {
    if (typeof RTCPeerConnection === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      throw new Error('this browser has no WebRTC support');
    }
    context = ctx;
  },

  canCall(target: CallTarget): boolean {
    return target.kind === 'user' && target.userId !== context?.user.id;
  },

  prepareMedia(media: InitialMedia): Promise<MediaStream> {
    return acquireMedia(media);
  },

  async open(call: ClientCall, container: HTMLElement): Promise<CallView> {
    const extras = call as ClientCall & Partial<WidgetCallExtras>;
    if (!extras.signaling) throw new Error('The built-in WebRTC provider needs the Parley call widget.');
    const report = extras.report ?? ((event) => context?.emit(event));
    const session = new WebrtcCall(
      call,
      {
        signaling: extras.signaling,
        media: extras.media ?? { micEnabled: true, cameraEnabled: true },
        localStream: extras.localStream ?? null,
        report,
      },
      container,
    );
    try {
      await session.start();
    } catch (err) {
      await session.close();
      throw err;
    }
    return session;
  },
};

export default connector;
