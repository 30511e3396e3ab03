#!/usr/bin/env node
import { main } from './main.js';

// A reader that stops early (`| head`) closes the pipe; that is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// `pnpm mobilemamba ...` runs from the repository root; resolve paths against the caller's folder instead.
if (process.env.npm_lifecycle_event === 'mobilemamba' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

// Set the exit code rather than calling process.exit, so buffered output is flushed first.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
