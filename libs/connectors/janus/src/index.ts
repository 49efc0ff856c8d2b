/**
 * `@parley/connector-janus`: a Parley plug-in connector for a Janus WebRTC gateway (VideoRoom).
 * Load it with `PARLEY_CONNECTORS=@parley/connector-janus`; see `docs/janus.md`.
 */
import { ConnectorModule } from '@parley/connector-sdk';
import { janusConnector } from './lib/janus.connector';

export * from './lib/admin-client';
export * from './lib/janus.connector';
export * from './lib/settings';

/** The module Parley loads (the package's contract with Parley). */
export const parleyConnector = ConnectorModule.register(janusConnector);
