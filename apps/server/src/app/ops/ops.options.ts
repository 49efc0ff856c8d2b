export interface OpsOptions {
  /** METRICS_TOKEN; null: metrics off (`/metrics` answers 404, nothing is collected). */
  metricsToken: string | null;
}

export const OPS_OPTIONS = Symbol('OPS_OPTIONS');
