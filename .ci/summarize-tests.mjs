// Adds up the vitest JSON reports of every package and prints one closing
// line, so a reader sees the whole run's passed, failed and skipped counts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const folder = process.argv[2];
const totals = { passed: 0, failed: 0, skipped: 0 };
const skippedTitles = [];

for (const file of readdirSync(folder).filter((name) => name.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(folder, file), 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  for (const suite of report.testResults) {
    for (const test of suite.assertionResults) {
      if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') {
        skippedTitles.push(`${file.replace(/\.json$/, '')}: ${[...test.ancestorTitles, test.title].join(' > ')}`);
      }
    }
  }
}

for (const title of skippedTitles) console.log(`skipped: ${title}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
