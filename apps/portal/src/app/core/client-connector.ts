/**
 * The browser half of the connector contract, re-exported for the portal.
 *
 * From the SDK's browser-safe entry (`@parley/connector-sdk/client`): the main entry point also
 * exports the server half (NestJS, node:fs), which a browser build must not type-check or bundle.
 * These are type-only imports; nothing of the SDK ends up in the portal bundle.
 */
export type {
  CallView,
  ClientCall,
  ClientConnector,
  ClientContext,
  ClientEvent,
} from '@parley/connector-sdk/client';
