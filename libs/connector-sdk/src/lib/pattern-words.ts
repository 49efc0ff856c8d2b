/**
 * Words for settings that fail a schema's `pattern` or `format`, so an admin reads what is expected
 * instead of a regular expression. Only the patterns connectors commonly use are put into words (a
 * URL scheme, a set of allowed characters); a connector says the rest with `patternMessage`.
 */
import type { SettingsProperty } from '@parley/protocol';

/** `https?` → `https`, `http`; `ws` → `ws`; anything fancier → null. */
function expandScheme(token: string): string[] | null {
  const match = /^([a-z][a-z0-9+.-]*?)([a-z])\?$/.exec(token);
  if (match) return [match[1] + match[2], match[1]];
  return /^[a-z][a-z0-9+.-]*$/.test(token) ? [token] : null;
}

/** `^https?://…`, `^(wss?|https?)://…` → the schemes, in the pattern's order. */
function schemesOf(pattern: string): string[] | null {
  const match = /^\^(?:\(([a-z0-9?|+.-]+)\)|([a-z0-9?+.-]+)):\/\//.exec(pattern);
  if (!match) return null;
  const schemes: string[] = [];
  for (const token of (match[1] ?? match[2]).split('|')) {
    const expanded = expandScheme(token);
    if (!expanded) return null;
    schemes.push(...expanded);
  }
  return schemes;
}

/** `^[a-zA-Z0-9_-]*$` → `letters, digits, _ and -`; a class with anything else (ranges, escapes) → null. */
function allowedCharactersOf(pattern: string): string | null {
  const match = /^\^\[([^\]\\^]+)\][*+]\$$/.exec(pattern);
  if (!match) return null;
  let body = match[1];
  const kinds: string[] = [];
  const lower = body.includes('a-z');
  const upper = body.includes('A-Z');
  body = body.replace('a-z', '').replace('A-Z', '');
  if (lower || upper)
    kinds.push(lower && upper ? 'letters' : lower ? 'lowercase letters' : 'capital letters');
  if (body.includes('0-9')) kinds.push('digits');
  body = body.replace('0-9', '');
  if (/[a-zA-Z0-9]-[a-zA-Z0-9]/.test(body)) return null;
  kinds.push(...[...new Set(body)]);
  if (kinds.length === 0) return null;
  return kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}`;
}

/** `a or b`, `a, b or c`. */
function orList(items: string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * What to tell an admin whose value for `label` does not match the property's `pattern`: the
 * connector's `patternMessage`, else words for a common pattern, else the property's description.
 */
export function patternProblem(label: string, property: SettingsProperty | undefined): string {
  if (property?.patternMessage) return property.patternMessage;
  const pattern = property?.pattern ?? '';
  const schemes = schemesOf(pattern);
  if (schemes) return `${label} must be a URL starting with ${orList(schemes.map((s) => `${s}://`))}`;
  const allowed = allowedCharactersOf(pattern);
  if (allowed) return `${label} may contain only ${allowed}`;
  const help = property?.description?.trim();
  return help ? `${label} is not in the expected form: ${help}` : `${label} is not in the expected form`;
}

const FORMAT_WORDS: Record<string, string> = {
  uri: 'a valid URL (such as https://example.com, no spaces)',
  'uri-reference': 'a valid URL or path',
  hostname: 'a host name (such as media.example.com)',
  email: 'an email address',
  ipv4: 'an IPv4 address (such as 192.0.2.10)',
  ipv6: 'an IPv6 address',
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'a date and time (such as 2026-01-31T12:00:00Z)',
  uuid: 'a UUID',
};

/** What to tell an admin whose value for `label` is not of the property's `format`. */
export function formatProblem(label: string, format: string): string {
  return `${label} must be ${FORMAT_WORDS[format] ?? `a valid ${format}`}`;
}
