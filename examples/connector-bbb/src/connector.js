// @ts-check
'use strict';
// A link-out connector for BigBlueButton: the call happens on BigBlueButton's own page.
// - prepare: `create` the meeting, once per call (Parley runs it once even when everyone joins at
//   once, and retries it on the next join when it failed);
// - joinInfo: a signed `join` URL per participant (no network: it runs on the hot path of joining);
// - onCallEnded: `end` the meeting (Parley runs it after prepare settled);
// - check: `getMeetings`, i.e. the server answers and the secret is right.
const { join } = require('node:path');
const { callApi, signedUrl, xmlField } = require('./bbb-api');

/** @import { ConnectorDefinition, SettingsSchema } from '@parley/connector-sdk' */

/**
 * @typedef {{ [key: string]: string | number | boolean | undefined,
 *   serverUrl: string, sharedSecret: string, meetingPrefix: string }} BbbSettings
 */

/** @type {SettingsSchema} */
const BBB_SETTINGS_SCHEMA = {
  type: 'object',
  properties: {
    serverUrl: {
      type: 'string',
      title: 'Server URL',
      description: 'The API base without /api, e.g. https://bbb.example.com/bigbluebutton',
      format: 'uri',
      pattern: '^https?://[^/?#]+(/[^?#]*)?$',
    },
    sharedSecret: { type: 'string', title: 'Shared secret', writeOnly: true, minLength: 8 },
    meetingPrefix: {
      type: 'string',
      title: 'Meeting ID prefix',
      pattern: '^[a-zA-Z0-9_-]*$',
      default: 'parley-',
    },
  },
  required: ['serverUrl', 'sharedSecret'],
};

/** @type {ConnectorDefinition<BbbSettings>} */
const bbbConnector = {
  type: 'bbb',
  title: 'BigBlueButton',
  version: require('../package.json').version,
  description: 'Opens calls as meetings on your BigBlueButton server, in a new tab.',
  supportedTargets: ['user', 'room'],
  // BigBlueButton's page has its own microphone, camera, screen sharing and chat: Parley's call
  // window shows none of them, only hang up (link-out mode).
  capabilities: [],
  linkOut: 'tab',
  // Each user's id in the organisation's BigBlueButton (the one its LMS or learning dashboard
  // knows): set on the profile; a one-to-one call joins both users under it (`call.imAccounts`).
  imAccount: {
    label: 'BigBlueButton user ID',
    pattern: '^[A-Za-z0-9._@-]{1,64}$',
    placeholder: 'jane.doe',
  },
  settingsSchema: BBB_SETTINGS_SCHEMA,
  isConfigured: (s) =>
    !s.serverUrl ? 'Server URL is not set' : !s.sharedSecret ? 'Shared secret is not set' : true,
  async prepare(call, { settings }) {
    const meetingID = `${settings.meetingPrefix}${call.id}`;
    const xml = await callApi(settings.serverUrl, settings.sharedSecret, 'create', {
      name: call.title,
      meetingID,
    });
    return { meetingID: xmlField(xml, 'meetingID') ?? meetingID };
  },
  joinInfo(call, user, { settings, prepared }) {
    const meetingID = String(prepared?.['meetingID'] ?? `${settings.meetingPrefix}${call.id}`);
    // The one who placed a one-to-one call, or anyone in a group call, may moderate.
    const moderator = call.target.kind !== 'user' || user.id === call.ownerId;
    const url = signedUrl(settings.serverUrl, settings.sharedSecret, 'join', {
      fullName: user.displayName,
      meetingID,
      role: moderator ? 'MODERATOR' : 'VIEWER',
      userID: call.imAccounts?.[user.id] ?? user.id,
      redirect: 'true',
    });
    return { url, meetingID };
  },
  hooks: {
    async onCallEnded(call, { settings, logger }) {
      try {
        await callApi(settings.serverUrl, settings.sharedSecret, 'end', {
          meetingID: `${settings.meetingPrefix}${call.id}`,
        });
      } catch (error) {
        logger.warn(`ending meeting of call ${call.id}: ${error instanceof Error ? error.message : error}`);
      }
    },
  },
  async check({ settings }) {
    try {
      await callApi(settings.serverUrl, settings.sharedSecret, 'getMeetings', {}, 4_000);
      return { ok: true, detail: 'getMeetings answered SUCCESS' };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  },
  clientModule: { path: join(__dirname, 'client.mjs') },
};

module.exports = { bbbConnector, BBB_SETTINGS_SCHEMA };
