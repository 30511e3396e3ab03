#!/usr/bin/env node
import { main } from './main.js';

// Set the exit code rather than calling process.exit, so buffered output is flushed first.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
