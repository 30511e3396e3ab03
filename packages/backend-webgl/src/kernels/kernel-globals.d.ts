// Functions that WebGlRuntime adds to every gpu.js kernel. Kernel functions call them
// by name, since gpu.js compiles the function's text and would not see an import.
// scripts/build-kernel-sources.mjs copies the source text of the top-level function
// in src/ that has the same name as each declaration here.

/** Returns floor(n / d) exactly for integer-valued 0 <= n < 2^23 and d >= 1 (implemented in floor-divide.ts). */
declare function floorDivide(n: number, d: number): number;
