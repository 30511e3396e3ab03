import { main } from '../src/main.js';

/** What one in-process run of the command printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string[];
}

/** Runs `mobilemamba <args>` in this process, capturing its output. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { info: (line) => stdout.push(line), warn: (line) => stderr.push(line) });
  return { code, stdout: stdout.join('\n'), stderr };
}
