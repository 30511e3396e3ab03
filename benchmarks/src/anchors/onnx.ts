import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as OrtNode from 'onnxruntime-node';
import { VARIANTS, countMacs, planFromConfig } from '@mobilemamba/models';
import { findFixture } from '../../../packages/conformance/src/fixtures.js';
import { measure, type SampleSettings } from '../measure.js';
import { formatShape, makeRow, type Task } from '../results.js';
import { patternValues } from '../values.js';

/** The T2 fixture model exported to ONNX (opset 17) with batch fixed at 1, as the fixture folder stores it. */
export const ONNX_FIXTURE = 'anchors/mobilemamba_t2.onnx';

export const ORT_NODE_ANCHOR = 'onnxruntime-node';
export const ORT_WEB_ANCHOR = 'onnxruntime-web';

/** The ONNX Runtime API both packages share. */
type Ort = typeof OrtNode;

/** Returns the ONNX model's path, or throws with the folders searched. */
export function findOnnxModel(): string {
  const path = findFixture(ONNX_FIXTURE);
  if (!path) throw new Error(`${ONNX_FIXTURE} not found in the fixture folders; set MOBILEMAMBA_FIXTURES to a folder that holds it`);
  return path;
}

function t2Fields(backend: string, notes: string) {
  const size = VARIANTS.t2.imgSize;
  return {
    section: 'anchors' as const,
    backend,
    case: 't2',
    label: 'MobileMamba T2 (ONNX export of the fixture weights)',
    shape: formatShape([1, 3, size, size]),
    flops: 2 * countMacs(planFromConfig(VARIANTS.t2), size, size),
    batch: 1,
    notes,
  };
}

/**
 * Times one ONNX Runtime session on the T2 model at batch 1. Each call runs
 * the session once; its outputs are host tensors already.
 */
async function timeSession(ort: Ort, session: OrtNode.InferenceSession, settings: SampleSettings) {
  const size = VARIANTS.t2.imgSize;
  const input = new ort.Tensor('float32', patternValues(3 * size * size), [1, 3, size, size]);
  const feeds = { [session.inputNames[0]]: input };
  return measure(async (calls) => {
    for (let i = 0; i < calls; i++) await session.run(feeds);
  }, settings);
}

/**
 * Creates one task per intra-op thread count for onnxruntime-node on the
 * CPU execution provider, with full graph optimisation and one inter-op thread.
 */
export function ortNodeTasks(modelPath: string, threadCounts: readonly number[], settings: SampleSettings): Task[] {
  const require = createRequire(import.meta.url);
  const ort = require('onnxruntime-node') as Ort;

  return threadCounts.map((threads) => {
    const backend = `${ORT_NODE_ANCHOR} ${threads} thread${threads === 1 ? '' : 's'}`;
    return {
      section: 'anchors' as const,
      backend,
      case: 't2',
      label: `MobileMamba T2 ONNX, ${threads} intra-op thread${threads === 1 ? '' : 's'}`,
      async run() {
        const session = await ort.InferenceSession.create(modelPath, {
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          executionMode: 'sequential',
          graphOptimizationLevel: 'all',
        });
        try {
          const measurement = await timeSession(ort, session, settings);
          const version = ort.env.versions.node ?? ort.env.versions.common;
          return [makeRow(t2Fields(backend, `onnxruntime-node ${version}, CPU provider, ${threads} intra-op thread${threads === 1 ? '' : 's'}`), measurement)];
        } finally {
          await session.release();
        }
      },
    };
  });
}

/**
 * Creates the task for onnxruntime-web's wasm execution provider running in
 * Node. The wasm module reads its thread count once, when the first session
 * starts, so the process runs it with one thread only.
 */
export function ortWebTask(modelPath: string, settings: SampleSettings): Task {
  const backend = `${ORT_WEB_ANCHOR} wasm 1 thread`;
  return {
    section: 'anchors',
    backend,
    case: 't2',
    label: 'MobileMamba T2 ONNX, wasm, 1 thread',
    async run() {
      // A variable specifier keeps the bundler from inlining the package, which loads its .wasm from its own folder.
      const specifier = 'onnxruntime-web';
      const ort = (await import(specifier)) as Ort;
      ort.env.wasm.numThreads = 1;
      const session = await ort.InferenceSession.create(await readFile(modelPath), {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
      });
      try {
        const measurement = await timeSession(ort, session, settings);
        return [makeRow(t2Fields(backend, `onnxruntime-web ${ort.env.versions.web ?? ort.env.versions.common}, wasm provider in Node, 1 thread`), measurement)];
      } finally {
        await session.release();
      }
    },
  };
}
