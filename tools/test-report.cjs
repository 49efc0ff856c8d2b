#!/usr/bin/env node
// Reads the JSON results of one or more jest runs (`--json --outputFile=…`) and prints where the
// time went: one row per spec file, slowest first (its project, tests, failures, seconds, and when
// it started after the first spec: spec files run side by side, so the wall time is less than
// their sum), then the failed tests by name, then the closing line `tests: N passed, N failed`.
// Usage: node tools/test-report.cjs tmp/jest-*.json
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// Project names by folder, from the workspace's jest projects (the JSON results do not carry them).
const projects = require(path.join(root, 'jest.config.cjs'))
  .projects.map((config) => {
    const file = config.replace('<rootDir>', root);
    // Read, not required: requiring a config loads its presets (Angular's among them).
    const name = /displayName:\s*'([^']+)'/.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? '';
    return { dir: path.dirname(file), name };
  })
  .sort((a, b) => b.dir.length - a.dir.length);
const projectOf = (file) => projects.find((p) => file.startsWith(p.dir + path.sep))?.name ?? '';
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: test-report.cjs RESULTS.json...');
  process.exit(2);
}

const rows = [];
const failures = [];
let passed = 0;
let failed = 0;
let skipped = 0;
let suitesFailed = 0;
for (const file of files) {
  let results;
  try {
    results = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`[test-report] ${file}: no results (${error.message}): that jest run did not finish.`);
    failed++;
    continue;
  }
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + (results.numTodoTests ?? 0);
  for (const suite of results.testResults) {
    const tests = suite.assertionResults ?? [];
    const spec = path.relative(root, suite.name);
    const bad = tests.filter((t) => t.status === 'failed');
    rows.push({
      spec,
      project: projectOf(suite.name),
      tests: tests.length,
      failed: bad.length,
      seconds: suite.startTime && suite.endTime ? (suite.endTime - suite.startTime) / 1000 : 0,
      start: suite.startTime ?? 0,
    });
    for (const t of bad) failures.push(`${spec} › ${t.fullName}`);
    // A suite that failed outside any test (beforeAll, a syntax error) has no failed test to name.
    if (suite.status === 'failed' && bad.length === 0) {
      suitesFailed++;
      const first = String(suite.message ?? '')
        .split('\n')
        .find((line) => line.trim());
      failures.push(`${spec} (the suite itself: ${first ? first.trim().slice(0, 200) : 'see above'})`);
    }
  }
}

const starts = rows.map((r) => r.start).filter((t) => t > 0);
const first = Math.min(...starts);
const last = Math.max(...rows.map((r) => r.start + r.seconds * 1000));
rows.sort((a, b) => b.seconds - a.seconds);
const width = Math.max(20, ...rows.map((r) => r.spec.length));
const line = (spec, project, tests, bad, secs, at) =>
  `${spec.padEnd(width)}  ${project.padEnd(19)}  ${String(tests).padStart(5)}  ${String(bad).padStart(6)}  ${secs.padStart(7)}  ${at.padStart(5)}`;
console.log('\nper spec file, slowest first ("at": seconds after the first spec started):');
console.log(line('spec', 'project', 'tests', 'failed', 'seconds', 'at'));
for (const r of rows) {
  const at = r.start > 0 && starts.length ? ((r.start - first) / 1000).toFixed(0) : '-';
  console.log(line(r.spec, r.project, r.tests, r.failed, r.seconds.toFixed(1), at));
}
const sum = rows.reduce((total, r) => total + r.seconds, 0);
const byProject = new Map();
for (const r of rows) byProject.set(r.project, (byProject.get(r.project) ?? 0) + r.seconds);
const e2e = byProject.get('e2e') ?? 0;
if (starts.length) {
  console.log(
    `${rows.length} spec files: ${sum.toFixed(0)} s of spec time (end to end ${e2e.toFixed(0)} s, the rest ${(sum - e2e).toFixed(0)} s) in ${((last - first) / 1000).toFixed(0)} s of wall time`,
  );
}
if (failures.length > 0) {
  console.log('\nfailed:');
  for (const f of failures) console.log(`  ${f}`);
}
console.log(
  `\ntests: ${passed} passed, ${failed + suitesFailed} failed` + (skipped ? `, ${skipped} skipped` : ''),
);
