import { defineConfig } from 'tsup';

/**
 * The benchmark program is built as one ESM file. The anchor runtimes stay
 * external: onnxruntime-node loads a native addon, and the wasm runtimes
 * load their .wasm files from their own package folders.
 */
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['onnxruntime-node', 'onnxruntime-web', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'],
});
