/**
 * The browser half of the connector contract, re-exported for the portal.
 *
 * Imported by relative path on purpose: `@parley/connector-sdk`'s entry point also exports the
 * server half (NestJS, node:fs), which a browser build must not type-check or bundle. These are
 * type-only imports; nothing of the SDK ends up in the portal bundle.
 */
export type {
  CallView,
  ClientCall,
  ClientConnector,
  ClientContext,
  ClientEvent,
} from '../../../../../libs/connector-sdk/src/lib/client';
