/**
 * `@parley/connector-jitsi`: a Parley plug-in connector that opens calls as Jitsi Meet meetings.
 * Load it with `PARLEY_CONNECTORS=@parley/connector-jitsi`; see `docs/connectors.md`.
 */
import { ConnectorModule } from '@parley/connector-sdk';
import { jitsiConnector } from './jitsi.connector';

export * from './jitsi.connector';

/** The module Parley loads (the package's contract with Parley). */
export const parleyConnector = ConnectorModule.register(jitsiConnector);
