import { CommanderError } from 'commander';
import { createProgram } from './program.js';
import { consoleReporter, type Reporter } from './reporter.js';

/**
 * Runs the command line and returns the exit code. Errors are printed as
 * one line; the stack trace only with --verbose.
 */
export async function main(argv: readonly string[], reporter: Reporter = consoleReporter): Promise<number> {
  const verbose = argv.includes('--verbose');
  const program = createProgram(verbose ? { ...reporter, debug: reporter.warn } : reporter).exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (help, version or a usage error).
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    reporter.warn(`mobilemamba: error: ${message}`);
    if (verbose && error instanceof Error && error.stack) reporter.warn(error.stack);
    return 1;
  }
}
