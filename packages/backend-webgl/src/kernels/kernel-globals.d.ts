// Functions that WebGlRuntime adds to every gpu.js kernel. Kernel functions call them
// by name, since gpu.js compiles the function's text and would not see an import.

/** Returns floor(n / d) exactly for integer-valued 0 <= n < 2^23 and d >= 1 (defined in runtime.ts). */
declare function floorDivide(n: number, d: number): number;
