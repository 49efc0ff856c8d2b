import type {
  CallView,
  ClientCall,
  ClientContext,
  ClientEvent,
  ParleyCallExtras,
  SignalingChannel,
} from '../lib/client';

/** `init`'s check: the context, or an error when the widget gave no user or provider. */
export function requireContext(ctx: ClientContext): ClientContext {
  if (!ctx?.user?.id || !ctx.provider?.type) throw new Error('the widget gave no user or provider');
  return ctx;
}

/** Starts a view; if that fails, closes it (leaving nothing behind) and rethrows. */
export async function startView<V extends CallView & { start(): Promise<void> }>(view: V): Promise<V> {
  try {
    await view.start();
  } catch (err) {
    await view.close();
    throw err;
  }
  return view;
}

/** {@link ParleyCallExtras} as {@link callExtras} returns them: `signaling` null when not given. */
export type CallExtras = Omit<ParleyCallExtras, 'signaling'> & { signaling: SignalingChannel | null };

/**
 * The widget's extras of the call `open()` got, with defaults for a host that passes a bare
 * `ClientCall`: mic and camera on, no prepared stream, events through `emit` (the context's),
 * `signaling` null (a client half that needs it refuses the call).
 */
export function callExtras(call: ClientCall, emit: (event: ClientEvent) => void): CallExtras {
  const extras = call as ClientCall & Partial<ParleyCallExtras>;
  return {
    signaling: extras.signaling ?? null,
    media: extras.media ?? { micEnabled: true, cameraEnabled: true },
    localStream: extras.localStream ?? null,
    report: extras.report ?? emit,
    selfId: extras.selfId,
    nameOf: extras.nameOf,
  };
}
