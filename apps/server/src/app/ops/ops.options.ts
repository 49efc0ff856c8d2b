export interface OpsOptions {
  /** METRICS_TOKEN; null: metrics off (`/metrics` answers 404, nothing is collected). */
  metricsToken: string | null;
  /** SHUTDOWN_GRACE_SECONDS: how long the drain lets live calls go on (0: ends them at once). */
  shutdownGraceSeconds: number;
}

export const OPS_OPTIONS = Symbol('OPS_OPTIONS');
