// Lints sources that are not on disk, as if they were the given workspace files:
// stdin `{ "<file path>": "<code>" }`, stdout `{ "<file path>": [{ ruleId, message }] }`.
// One ESLint instance for all of them (the spec beside uses it with its fixtures).
import { ESLint } from 'eslint';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const eslint = new ESLint({ cwd: process.cwd() });
const out = {};
for (const [filePath, code] of Object.entries(JSON.parse(input))) {
  const [result] = await eslint.lintText(code, { filePath });
  out[filePath] = result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}
process.stdout.write(JSON.stringify(out));
