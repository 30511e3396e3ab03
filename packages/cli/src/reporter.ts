/** The output channels of a command: results to stdout, notes and warnings to stderr. */
export interface Reporter {
  /** A result line (stdout). */
  info(line: string): void;
  /** A diagnostic line (stderr). */
  warn(line: string): void;
  /** A detail line (stderr), such as why a backend was skipped; present only with --verbose. */
  debug?(line: string): void;
}

export const consoleReporter: Reporter = {
  info: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
};
