export { main } from './main.js';
export { createProgram } from './program.js';
export type { Reporter } from './reporter.js';
