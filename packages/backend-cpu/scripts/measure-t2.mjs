// Measures MobileMamba-T2 latency on the cpu backend: 192 x 192, batch 1,
// 5 warm-up runs, then the median of 20, for each configuration given.
// It also prints time by kernel and the GFLOP/s of the 1x1-convolution
// matrix multiply, on a 256^3 product and on T2's largest 1x1 convolution.
//
//   pnpm --filter @mobilemamba/backend-cpu build
//   node packages/backend-cpu/scripts/measure-t2.mjs [--weights FILE] [--configs 1:simd,2:simd,1:scalar,2:scalar] [--runs 20] [--warmup 5]
//
// It imports the built packages (dist), so build them first. Run it on an
// otherwise idle machine: other processes on the same cores skew the figures.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tensor, tidy } from '@mobilemamba/core';
import { loadModel } from '@mobilemamba/models';
import { createCpuBackend } from '@mobilemamba/backend-cpu';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { values: options } = parseArgs({
  options: {
    weights: { type: 'string', default: [join(repositoryRoot, '..', 'shared', 'fixtures', 'models', 't2.weights.safetensors'), join(repositoryRoot, 'fixtures', 'models', 't2.weights.safetensors')].find(existsSync) },
    configs: { type: 'string', default: '1:simd,2:simd,1:scalar,2:scalar' },
    runs: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
  },
});
if (!options.weights || !existsSync(options.weights)) throw new Error(`T2 weights not found: ${options.weights}; pass --weights FILE`);
const runs = Number(options.runs);
const warmup = Number(options.warmup);

/** Returns the median of an array of numbers. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Wraps every kernel of the backend so that calls add their time, in ms,
 * to `profile` under a label. Conv2d is split by filter size, and the
 * pointwise convolutions also record time per shape for the GFLOP/s figure.
 */
function instrument(backend, profile, pointwise) {
  for (const [name, kernel] of Object.entries(backend.kernels)) {
    backend.kernels[name] = (...args) => {
      const started = performance.now();
      const result = kernel(...args);
      const elapsed = performance.now() - started;
      if (!profile.enabled) return result;

      let label = name;
      if (name === 'conv2d') {
        const [x, weight, , attributes, outShape] = args;
        const [outChannels, groupIn, kh, kw] = weight.shape;
        if (kh !== 1 || kw !== 1) label = `conv2d ${kh}x${kw} dense`;
        else if (attributes.groups > 1) label = 'conv2d 1x1 grouped';
        else label = 'conv2d 1x1';
        if (kh === 1 && kw === 1 && attributes.groups === 1) {
          const key = `${outChannels}x${groupIn}x${outShape[2] * outShape[3] * x.shape[0]}`;
          const entry = (pointwise[key] ??= { macs: outChannels * groupIn * outShape[2] * outShape[3] * x.shape[0], ms: 0, calls: 0 });
          entry.ms += elapsed;
          entry.calls++;
        }
      }
      const entry = (profile.kernels[label] ??= { ms: 0, calls: 0 });
      entry.ms += elapsed;
      entry.calls++;
      return result;
    };
  }
}

/** Times a 1x1 convolution that is an M x K x N matrix multiply, median of repeated calls. */
function measureGemm(backend, rows, depth, side) {
  const x = tensor(Float32Array.from({ length: depth * side * side }, (_, i) => Math.sin(i)), [1, depth, side, side], backend);
  const weight = tensor(Float32Array.from({ length: rows * depth }, (_, i) => Math.cos(i) / depth), [rows, depth, 1, 1], backend);
  const times = [];
  for (let i = 0; i < 60; i++) {
    const started = performance.now();
    const out = backend.kernels.conv2d(x, weight, null, { stride: [1, 1], padding: [0, 0, 0, 0], groups: 1 }, [1, rows, side, side]);
    times.push(performance.now() - started);
    backend.disposeData(out);
  }
  x.dispose();
  weight.dispose();
  const ms = median(times.slice(10));
  return { ms, gflops: (2 * rows * depth * side * side) / ms / 1e6 };
}

console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} logical cores, Node ${process.versions.node}`);
console.log(`weights: ${options.weights}; ${warmup} warm-up runs, median of ${runs}\n`);

for (const config of options.configs.split(',')) {
  const [threadText, mode] = config.split(':');
  const backend = createCpuBackend({ threads: Number(threadText), simd: mode !== 'scalar' });
  await backend.init();
  const profile = { enabled: false, kernels: {} };
  const pointwise = {};
  instrument(backend, profile, pointwise);

  const model = await loadModel(options.weights, { backend });
  const size = model.imgSize;
  const input = Float32Array.from({ length: 3 * size * size }, (_, i) => Math.sin(i * 0.37));
  const x = tensor(input, [1, 3, size, size], backend);
  const forward = () => {
    const logits = model.forward(x);
    logits.dataSync();
    logits.dispose();
  };

  for (let i = 0; i < warmup; i++) forward();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    forward();
    times.push(performance.now() - started);
  }

  // A separate, profiled pass, so that the timing wrappers do not slow the measured runs.
  profile.enabled = true;
  for (let i = 0; i < runs; i++) forward();
  profile.enabled = false;

  const { threads, simd } = backend.configuration;
  console.log(`T2 ${size}x${size} batch 1, threads ${threads}, ${simd ? 'SIMD' : 'scalar'}: median ${median(times).toFixed(2)} ms ` +
    `(min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)})`);

  const kernelTotal = Object.values(profile.kernels).reduce((sum, entry) => sum + entry.ms, 0) / runs;
  const rows = Object.entries(profile.kernels).sort((a, b) => b[1].ms - a[1].ms);
  for (const [label, entry] of rows) {
    console.log(`  ${label.padEnd(22)} ${(entry.ms / runs).toFixed(3).padStart(8)} ms  ${String(entry.calls / runs).padStart(4)} calls`);
  }
  console.log(`  ${'kernels, total'.padEnd(22)} ${kernelTotal.toFixed(3).padStart(8)} ms (the rest of the median is core's op front-ends and tidy)`);

  const [largestKey, largest] = Object.entries(pointwise).sort((a, b) => b[1].macs - a[1].macs)[0];
  const perCall = largest.ms / largest.calls;
  console.log(`  largest 1x1 conv (Cout x Cin x positions = ${largestKey}): ${perCall.toFixed(3)} ms, ${((2 * largest.macs) / perCall / 1e6).toFixed(1)} GFLOP/s`);
  const gemm = measureGemm(backend, 256, 256, 16);
  console.log(`  256^3 matrix multiply as a 1x1 conv: ${gemm.ms.toFixed(3)} ms, ${gemm.gflops.toFixed(1)} GFLOP/s\n`);

  tidy(() => {});
  x.dispose();
  model.dispose();
  await backend.destroy();
}
