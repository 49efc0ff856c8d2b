/**
 * Test kit (not built into dist): a strict parser of the Prometheus text exposition format 0.0.4,
 * so specs check `/metrics` the way a Prometheus server would read it. prom-client has no parser.
 * Throws on anything a scraper would reject or misread: a malformed line, a sample before its
 * family's TYPE, a family split in two, a repeated series, a histogram/summary sample without
 * its suffix or `le`/`quantile` label, a missing final newline.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string | null;
  samples: PromSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const META = new RegExp(`^# (HELP|TYPE) (${NAME})(?: (.*))?$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/;
// As Prometheus reads a value (Go's strconv.ParseFloat): Inf/NaN in any case (prom-client writes `Nan`).
const VALUE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?inf(?:inity)?|nan)$/i;

function toNumber(text: string): number {
  if (/^nan$/i.test(text)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = LABEL.exec(rest);
    if (!match) throw new Error(`line ${line}: bad label list {${text}}`);
    if (match[1] in labels) throw new Error(`line ${line}: label ${match[1]} twice`);
    labels[match[1]] = match[2].replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(match[0].length);
    if (match[3] === ',' && rest.length === 0) break; // a trailing comma is allowed
  }
  return labels;
}

/** The family a sample name belongs to, given the families declared so far. */
function familyOf(name: string, families: Map<string, PromFamily>): PromFamily | undefined {
  const exact = families.get(name);
  if (exact) return exact;
  const suffix = /^(.*)_(bucket|sum|count)$/.exec(name);
  const base = suffix ? families.get(suffix[1]) : undefined;
  if (!base || !suffix) return undefined;
  if (base.type === 'histogram' || (base.type === 'summary' && suffix[2] !== 'bucket')) return base;
  return undefined;
}

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, PromFamily>();
  const series = new Set<string>();
  const closed = new Set<string>();
  let current: PromFamily | null = null;
  const enter = (family: PromFamily, line: number) => {
    if (current === family) return;
    if (closed.has(family.name)) throw new Error(`line ${line}: family ${family.name} is split in two`);
    if (current) closed.add(current.name);
    current = family;
  };
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const meta = META.exec(raw);
      if (!meta) return; // a plain comment
      const [, kind, name, rest = ''] = meta;
      let family = families.get(name);
      if (!family) {
        family = { name, type: 'untyped', help: null, samples: [] };
        families.set(name, family);
      }
      enter(family, line);
      if (kind === 'HELP') {
        if (family.help !== null) throw new Error(`line ${line}: second HELP for ${name}`);
        family.help = rest.replace(/\\([\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      } else {
        if (!TYPES.has(rest)) throw new Error(`line ${line}: unknown type ${rest} for ${name}`);
        if (family.samples.length > 0) throw new Error(`line ${line}: TYPE for ${name} after its samples`);
        family.type = rest as PromFamily['type'];
      }
      return;
    }
    const match = SAMPLE.exec(raw);
    if (!match) throw new Error(`line ${line}: not a sample: ${raw}`);
    const [, name, labelText = '', valueText] = match;
    if (!VALUE.test(valueText)) throw new Error(`line ${line}: bad value ${valueText}`);
    const labels = parseLabels(labelText, line);
    let family = familyOf(name, families);
    if (!family) {
      family = { name, type: 'untyped', help: null, samples: [] };
      families.set(name, family);
    }
    enter(family, line);
    if (family.type === 'histogram' && name === `${family.name}_bucket` && !('le' in labels)) {
      throw new Error(`line ${line}: bucket without le`);
    }
    if (family.type === 'histogram' && name === family.name) {
      throw new Error(`line ${line}: histogram sample without _bucket/_sum/_count`);
    }
    if (family.type === 'summary' && name === family.name && !('quantile' in labels)) {
      throw new Error(`line ${line}: summary sample without quantile`);
    }
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(key)) throw new Error(`line ${line}: series ${name}{${labelText}} twice`);
    series.add(key);
    family.samples.push({ name, labels, value: toNumber(valueText) });
  });
  return families;
}

/** The value of one series (`labels` must match exactly), or undefined. */
export function sampleValue(
  families: Map<string, PromFamily>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === want) {
        return sample.value;
      }
    }
  }
  return undefined;
}
