// @ts-check
'use strict';
// The few BigBlueButton API calls the connector makes. Every call is signed: the checksum is the
// SHA-1 (hex) of the call's name, its query string and the shared secret, appended as `checksum`.
const { createHash } = require('node:crypto');

/** Signs `call` with `params`: `<serverUrl>/api/<call>?<query>&checksum=<sha1(call + query + secret)>`. */
function signedUrl(serverUrl, secret, call, params) {
  const query = new URLSearchParams(params).toString();
  const checksum = createHash('sha1')
    .update(call + query + secret)
    .digest('hex');
  return `${serverUrl.replace(/\/+$/, '')}/api/${call}?${query}${query ? '&' : ''}checksum=${checksum}`;
}

/** The text of `<tag>` in BigBlueButton's XML answer, if any. */
function xmlField(xml, tag) {
  const match = new RegExp(`<${tag}>(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?</${tag}>`).exec(xml);
  return match ? match[1] : undefined;
}

/**
 * Calls the API and answers its XML, or throws with BigBlueButton's own message (`message`,
 * `messageKey`) when it answers FAILED, or with the HTTP status / network error.
 */
async function callApi(serverUrl, secret, call, params, timeoutMs = 10_000) {
  let response;
  try {
    response = await fetch(signedUrl(serverUrl, secret, call, params), {
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(
      `BigBlueButton is unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const xml = await response.text();
  if (!response.ok) throw new Error(`BigBlueButton answered HTTP ${response.status} to ${call}`);
  if (xmlField(xml, 'returncode') !== 'SUCCESS') {
    const message = xmlField(xml, 'message') ?? 'no message';
    const key = xmlField(xml, 'messageKey');
    throw new Error(`BigBlueButton refused ${call}: ${message}${key ? ` (${key})` : ''}`);
  }
  return xml;
}

module.exports = { signedUrl, xmlField, callApi };
