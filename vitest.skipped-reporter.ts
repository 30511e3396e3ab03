import type { Reporter, TestModule } from 'vitest/node';

/**
 * Lists the skipped tests after a run, with their reasons: the reason is in
 * the title (describe.skipIf titles end with it) or in the note passed to
 * ctx.skip(). Vitest's default reporter prints only the count, so a
 * backend or fixture missing on this machine would otherwise go unnoticed.
 */
export class SkippedTestsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped') continue;
        lines.push(`  ${test.fullName}${result.note ? `: ${result.note}` : ''}`);
      }
    }
    if (lines.length === 0) return;

    process.stdout.write(`\n${lines.length} skipped:\n${lines.join('\n')}\n`);
  }
}
