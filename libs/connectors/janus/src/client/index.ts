/**
 * Client half of the Janus connector: the ES module the widget loads with `import()` from
 * `/api/providers/janus/client.js`. esbuild bundles it (our own small Janus WebSocket client
 * included, no dependency) into one self-contained file: `nx run connector-janus:build-client` ->
 * dist/connectors/janus/client.mjs, copied into the package by the server build.
 *
 * It implements the widget's optional extras like the built-in connector (`prepareMedia`,
 * `setMuted`, `setCameraOff`), so the call window is the same.
 */
import type { CallTarget } from '@parley/protocol';
import type {
  CallView,
  ClientCall,
  ClientConnector,
  ClientContext,
} from '../../../../connector-sdk/src/lib/client';
import { JanusCall, acquireMedia, type InitialMedia, type WidgetCallExtras } from './janus-call';

let context: ClientContext | null = null;

const connector: ClientConnector & { prepareMedia(media: InitialMedia): Promise<MediaStream> } = {
  init(ctx: ClientContext): void {
    // A failed init leaves no usable state behind: canCall answers false until a good init.
    context = null;
    if (!ctx?.user?.id || !ctx.provider?.type) throw new Error('the widget gave no user or provider');
    context = ctx;
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
    const session = new JanusCall(
      call,
      {
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

/** Checked when a call starts (not at init: the conformance kit probes init/canCall in Node). */
function assertWebrtc(): void {
  if (typeof RTCPeerConnection === 'undefined' || !globalThis.navigator?.mediaDevices?.getUserMedia) {
    throw new Error('This browser cannot make WebRTC calls (or the page is not served over HTTPS).');
  }
}

export default connector;
