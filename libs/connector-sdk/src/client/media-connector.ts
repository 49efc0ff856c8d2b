import type { CallTarget } from '@parley/protocol';
import type { CallView, ClientCall, ClientContext, MediaPreparingConnector } from '../lib/client';
import { callExtras, requireContext, startView, type CallExtras } from './lifecycle';
import { acquireMedia, assertWebrtc } from './media';

/** What differs between the client halves {@link mediaConnector} builds. */
export interface MediaConnectorParts {
  /** Whether to show a button for `target`; only asked after a good `init`. */
  canCall(target: CallTarget, context: ClientContext): boolean;
  /** The view of one call; `open` starts it (and closes it again when `start` fails). */
  view(call: ClientCall, container: HTMLElement, extras: CallExtras): CallView & { start(): Promise<void> };
}

/**
 * The client connector of a provider whose media runs in the browser (the built-in WebRTC one,
 * Janus): `init` keeps the checked context (a failed `init` leaves none, so `canCall` answers
 * false until a good one), `prepareMedia` gets the mic + camera, and `open` checks the browser,
 * then builds and starts the view with the widget's extras of the call ({@link callExtras};
 * events go to the context's `emit` when the host gave no `report`).
 */
export function mediaConnector(parts: MediaConnectorParts): MediaPreparingConnector {
  let context: ClientContext | null = null;
  return {
    init(ctx) {
      context = null;
      context = requireContext(ctx);
    },
    canCall(target) {
      return context !== null && parts.canCall(target, context);
    },
    prepareMedia(media) {
      assertWebrtc();
      return acquireMedia(media);
    },
    async open(call, container) {
      assertWebrtc();
      return startView(
        parts.view(
          call,
          container,
          callExtras(call, (event) => context?.emit(event)),
        ),
      );
    },
  };
}
