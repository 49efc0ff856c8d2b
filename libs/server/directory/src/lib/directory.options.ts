import { ConfigurableModuleBuilder } from '@nestjs/common';

export interface DirectoryModuleOptions {
  /** HS256 secret that signs session tokens. */
  sessionSecret: string;
  /** Lifetime of a session, in hours (default 12). */
  sessionTtlHours?: number;
  /** Lifetime of the bearer token a non-browser sign-in gets, in minutes (default 60). */
  bearerTokenTtlMinutes?: number;
  /** Members of this group are administrators (default `platform/administrators`). */
  adminsGroup?: string;
  /**
   * Key that verifies tokens signed by the host portal: an HS256 shared secret, or an RS256
   * public key in PEM form. Without it, `POST /api/auth/portal-token` is disabled.
   */
  portalTokenKey?: string | null;
  /** Seed the demo users, rooms, messages and posts when the users table is empty (default false). */
  seedDemo?: boolean;
  /** Set the `Secure` flag on the session cookie (default false). */
  secureCookie?: boolean;
  /** Sign-in attempts allowed per username and client IP in {@link loginWindowSeconds} (default 10). */
  loginMaxAttempts?: number;
  /** The sign-in throttling window, in seconds (default 60). */
  loginWindowSeconds?: number;
  /** Single sign-on exchanges allowed per client IP in {@link loginWindowSeconds} (default 300). */
  portalTokenMaxAttempts?: number;
}

export const DEFAULT_ADMINS_GROUP = 'platform/administrators';
export const DEFAULT_SESSION_TTL_HOURS = 12;
export const DEFAULT_BEARER_TOKEN_TTL_MINUTES = 60;
export const DEFAULT_LOGIN_MAX_ATTEMPTS = 10;
export const DEFAULT_LOGIN_WINDOW_SECONDS = 60;
export const DEFAULT_PORTAL_TOKEN_MAX_ATTEMPTS = 300;

export const {
  ConfigurableModuleClass: DirectoryConfigurableModule,
  MODULE_OPTIONS_TOKEN: DIRECTORY_OPTIONS,
  OPTIONS_TYPE: DIRECTORY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: DIRECTORY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DirectoryModuleOptions>().setClassMethodName('forRoot').build();
