// @ts-check
'use strict';
// A small fake BigBlueButton server for the tests: answers `create`, `join`, `getMeetings` and
// `end` under /bigbluebutton/api/, each checked with BigBlueButton's checksum rule
// (sha1(call name + query string without checksum + shared secret), hex), as the real one does.
const { createHash } = require('node:crypto');
const http = require('node:http');

const xml = (body) => `<response>${body}</response>`;
const failed = (key, message) =>
  xml(`<returncode>FAILED</returncode><messageKey>${key}</messageKey><message>${message}</message>`);

/**
 * @param {string} secret
 * @returns {Promise<{ url: string, creates: string[], joins: string[], meetings: Map<string, string>,
 *   failNextCreate: (key: string, message: string) => void, close: () => Promise<void> }>}
 */
async function startFakeBbb(secret) {
  /** @type {string[]} */ const creates = [];
  /** @type {string[]} */ const joins = [];
  /** @type {Map<string, string>} */ const meetings = new Map();
  /** @type {{ key: string, message: string } | null} */ let failure = null;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const call = url.pathname.replace(/^\/bigbluebutton\/api\/?/, '');
    const raw = (req.url ?? '').split('?')[1] ?? '';
    const query = raw.replace(/&?checksum=[0-9a-f]*$/, '');
    const expected = createHash('sha1')
      .update(call + query + secret)
      .digest('hex');
    const send = (status, body, type = 'text/xml') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (!url.pathname.startsWith('/bigbluebutton/api')) return send(404, 'not found', 'text/plain');
    if (url.searchParams.get('checksum') !== expected) {
      return send(200, failed('checksumError', 'You did not pass the checksum security check'));
    }
    const meetingID = url.searchParams.get('meetingID') ?? '';
    switch (call) {
      case 'create': {
        if (failure) {
          const { key, message } = failure;
          failure = null;
          return send(200, failed(key, message));
        }
        creates.push(meetingID);
        meetings.set(meetingID, url.searchParams.get('name') ?? '');
        return send(200, xml(`<returncode>SUCCESS</returncode><meetingID>${meetingID}</meetingID>`));
      }
      case 'join':
        if (!meetings.has(meetingID)) return send(200, failed('notFound', 'The meeting does not exist'));
        joins.push(`${meetingID} ${url.searchParams.get('userID')} ${url.searchParams.get('role')}`);
        return send(200, `<html><body>meeting ${meetingID}</body></html>`, 'text/html');
      case 'getMeetings':
        return send(200, xml(`<returncode>SUCCESS</returncode><meetings>${meetings.size}</meetings>`));
      case 'end':
        if (!meetings.delete(meetingID)) return send(200, failed('notFound', 'The meeting does not exist'));
        return send(200, xml('<returncode>SUCCESS</returncode>'));
      default:
        return send(200, failed('unsupportedRequest', `${call} is not supported`));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/bigbluebutton`,
    creates,
    joins,
    meetings,
    failNextCreate: (key, message) => {
      failure = { key, message };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

module.exports = { startFakeBbb };
