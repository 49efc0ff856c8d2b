// The README's configuration table is what operators read: every variable the server accepts
// must be in it, with its default, and nothing the server does not accept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_DOCS } from './config';

const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
const rows = new Map(
  [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` +\| ([^|]+)\|/gm)].map((m) => [m[1], m[2].trim()]),
);

describe('README configuration table', () => {
  it.each(CONFIG_DOCS.map((d) => [d.name, d.default]))('documents %s with its default', (name, def) => {
    expect(rows.has(name)).toBe(true);
    expect(rows.get(name)).toBe(def === '(unset)' ? '(unset)' : `\`${def}\``);
  });

  it('lists no variable the server does not read', () => {
    const known = new Set<string>(CONFIG_DOCS.map((d) => d.name));
    expect([...rows.keys()].filter((name) => !known.has(name))).toEqual([]);
  });
});
