export { main } from './main.js';
export { createProgram } from './program.js';
export { topK, type Prediction } from './top-k.js';
export type { Reporter } from './reporter.js';
