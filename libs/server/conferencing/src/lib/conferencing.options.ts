import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ConnectorLoadError } from '@parley/protocol';

/** Where a registered connector comes from. */
export type ConnectorSource = { kind: 'builtin' } | { kind: 'package'; name: string };

/** A connector the app registered (its module is imported by the app; the definition is looked up by type). */
export interface ConnectorRegistration {
  type: string;
  source: ConnectorSource;
}

export interface ConferencingModuleOptions {
  /** 32-byte AES-256-GCM key that encrypts secrets at rest (see `SECRETS_KEY`). */
  secretsKey: Buffer;
  /** Connectors to register, built-ins first; their modules must be imported by the app. */
  connectors: ConnectorRegistration[];
  /** Plug-ins that failed to load at boot (shown on the admin page). */
  loadErrors?: ConnectorLoadError[];
  /** Public base URL of the server (absolute avatar URLs for connectors), without a trailing slash. */
  publicUrl: string;
  /**
   * URL of the public STUN entry seeded (enabled, flagged default) on first start; null seeds nothing.
   * The server itself never contacts it.
   */
  defaultStunUrl?: string | null;
  /**
   * Seconds between two automatic health checks of the active providers whose connector sets
   * `healthGatesAvailability` (default 60; 0: only when they become active, their settings change or an
   * admin presses Check).
   */
  healthIntervalSeconds?: number;
}

export const DEFAULT_HEALTH_INTERVAL_SECONDS = 60;

export const DEFAULT_STUN_URL = 'stun:stun.l.google.com:19302';

export const {
  ConfigurableModuleClass: ConferencingConfigurableModule,
  MODULE_OPTIONS_TOKEN: CONFERENCING_OPTIONS,
} = new ConfigurableModuleBuilder<ConferencingModuleOptions>().setClassMethodName('forRoot').build();
