import type { PreparedCall } from './definition';

/** Rejects with `message` when `work` takes longer than `ms` (the timer never outlives the work). */
export function within<T>(ms: number, work: Promise<T>, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/**
 * The once-per-call rule of `ConnectorDefinition.prepare`, shared by Parley's call service and the
 * conformance kit: one run per call id, in flight or done, that every join awaits; a run that
 * failed is forgotten, so the next join starts a new one.
 */
export class CallPreparations {
  private readonly runs = new Map<string, Promise<PreparedCall>>();

  /** The call's prepared data: the run in flight or done, else a new run of `prepare`. */
  get(callId: string, prepare: () => PreparedCall | Promise<PreparedCall>): Promise<PreparedCall> {
    const known = this.runs.get(callId);
    if (known) return known;
    const run = Promise.resolve()
      .then(prepare)
      .then((prepared) => prepared ?? {});
    this.runs.set(callId, run);
    run.catch(() => {
      if (this.runs.get(callId) === run) this.runs.delete(callId);
    });
    return run;
  }

  /** The run of a call, if one was started (settled or not). */
  peek(callId: string): Promise<PreparedCall> | undefined {
    return this.runs.get(callId);
  }

  /** The call ended: its prepared data goes. */
  forget(callId: string): void {
    this.runs.delete(callId);
  }
}
