/**
 * axe-core accessibility checks for the e2e specs: injects axe's source into a Playwright page,
 * runs it over the page (or a part of it), prints a compact report and answers the violations.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';

/** One violated rule, as axe reports it (only the fields the report prints). */
export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

let source: string | null = null;

function axeSource(): string {
  source ??= readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
  return source;
}

/** A CSS selector (or list of them) axe checks; the whole document when omitted. */
export type AxeContext = string | string[];

/** Runs axe over `context` of `page`, prints the report under `label`, answers the violations. */
export async function axeViolations(
  page: Page,
  label: string,
  context?: AxeContext,
): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  // Evaluated over the DevTools protocol: the portal's CSP (script-src 'self') refuses an
  // inline <script>, and the test must not weaken the page it checks.
  if (!loaded) await page.evaluate(axeSource());
  const violations = await page.evaluate(async (ctx) => {
    const axe = (
      window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: unknown[] }> } }
    ).axe;
    const include = ctx === null ? document : { include: Array.isArray(ctx) ? ctx.map((s) => [s]) : [[ctx]] };
    const result = await axe.run(include, { resultTypes: ['violations'] });
    return result.violations;
  }, context ?? null);
  const list = violations as AxeViolation[];
  console.log(axeReport(label, list));
  return list;
}

/** The compact report: one line per rule (impact, rule id, node count, first targets). */
export function axeReport(label: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `axe [${label}]: no violations`;
  const lines = violations.map((v) => {
    const targets = v.nodes
      .slice(0, 3)
      .map((n) => n.target.map(String).join(' > '))
      .join(' | ');
    return `  ${v.impact ?? 'n/a'} ${v.id} x${v.nodes.length}: ${v.help} — ${targets}`;
  });
  return [`axe [${label}]: ${violations.length} violated rule(s)`, ...lines].join('\n');
}

/** Fails (listing them) when axe finds serious or critical violations in `context` of `page`. */
export async function expectNoSeriousViolations(
  page: Page,
  label: string,
  context?: AxeContext,
): Promise<void> {
  const serious = (await axeViolations(page, label, context)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  if (serious.length > 0)
    throw new Error(`serious accessibility violations on ${label}:\n${axeReport(label, serious)}`);
}
