/** Where a command writes: results to stdout, notes and warnings to stderr. */
export interface Reporter {
  /** A result line (stdout). */
  info(line: string): void;
  /** A diagnostic line (stderr), such as a skipped backend. */
  warn(line: string): void;
}

export const consoleReporter: Reporter = {
  info: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
};
