// @ts-check
'use strict';
const { ConnectorModule } = require('@parley/connector-sdk');
const { bbbConnector } = require('./connector');

/** What Parley loads: the package's `parleyConnector`. */
exports.parleyConnector = ConnectorModule.register(bbbConnector);
