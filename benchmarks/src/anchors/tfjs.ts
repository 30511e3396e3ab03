import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as TfjsCore from '@tensorflow/tfjs-core';
import type * as TfjsWasm from '@tensorflow/tfjs-backend-wasm';
import type { OpCase } from '../cases/op-cases.js';
import { measure, type SampleSettings, type Workload } from '../measure.js';
import { makeRow, type Task } from '../results.js';
import { patternValues, sizeOf } from '../values.js';

export const TFJS_ANCHOR = 'tfjs-wasm';

type Tf = typeof TfjsCore;

/** TensorFlow.js on its wasm backend, initialised, with what it reports about itself. */
export interface TfjsRuntime {
  tf: Tf;
  /** Versions and wasm features, for the notes column. */
  description: string;
}

/**
 * Loads TensorFlow.js with its wasm backend. The .wasm binaries ship in the
 * backend package's dist folder, and setWasmPaths points the loader there
 * instead of at a CDN.
 */
export async function loadTfjs(): Promise<TfjsRuntime> {
  const require = createRequire(import.meta.url);
  const tf = require('@tensorflow/tfjs-core') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof TfjsWasm;
  const distFolder = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(`${distFolder}/`);

  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed to initialise the wasm backend');
  await tf.ready();
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  return {
    tf,
    description: `tfjs-core ${tf.version_core}, tfjs-backend-wasm ${wasm.version_wasm}, SIMD ${simd ? 'on' : 'off'}, ${threads ? 'multi-threaded' : 'one thread'}`,
  };
}

/**
 * Builds the TensorFlow.js counterparts of the convolution cases in NHWC
 * layout: conv2d or depthwiseConv2d with the same explicit padding, and for
 * the 1x1 convs also matMul of the [H*W, Cin] input with the [Cin, Cout]
 * weight. Each returns a fresh output per call.
 */
interface TfjsOp {
  op: string;
  run: () => TfjsCore.Tensor;
  inputs: TfjsCore.Tensor[];
}

function tfjsOps(tf: Tf, opCase: OpCase): TfjsOp[] {
  const spec = opCase.conv!;
  const [batch, inChannels, height, width] = spec.input;
  const x = tf.tensor4d(patternValues(sizeOf(spec.input)), [batch, height, width, inChannels]);
  const padding = [[0, 0], [spec.padding, spec.padding], [spec.padding, spec.padding], [0, 0]] as [
    [number, number],
    [number, number],
    [number, number],
    [number, number],
  ];

  if (spec.depthwise) {
    const filter = tf.tensor4d(patternValues(spec.kernel * spec.kernel * inChannels, 1), [spec.kernel, spec.kernel, inChannels, 1]);
    return [{ op: 'tf.depthwiseConv2d', inputs: [x, filter], run: () => tf.depthwiseConv2d(x, filter, spec.stride, padding) }];
  }

  const filter = tf.tensor4d(patternValues(spec.kernel * spec.kernel * inChannels * spec.outChannels, 1), [
    spec.kernel,
    spec.kernel,
    inChannels,
    spec.outChannels,
  ]);
  const ops: TfjsOp[] = [{ op: 'tf.conv2d', inputs: [x, filter], run: () => tf.conv2d(x, filter, spec.stride, padding) }];
  if (spec.kernel === 1 && spec.stride === 1 && spec.padding === 0) {
    const rows = tf.tensor2d(patternValues(batch * height * width * inChannels), [batch * height * width, inChannels]);
    const matrix = tf.tensor2d(patternValues(inChannels * spec.outChannels, 1), [inChannels, spec.outChannels]);
    ops.push({ op: 'tf.matMul', inputs: [rows, matrix], run: () => tf.matMul(rows, matrix) });
  }
  return ops;
}

/** Creates one task per convolution case, which measures every TensorFlow.js op that computes the case. */
export function tfjsTasks(runtime: TfjsRuntime, cases: readonly OpCase[], settings: SampleSettings): Task[] {
  return cases
    .filter((opCase) => opCase.conv !== undefined)
    .map((opCase) => ({
      section: 'anchors' as const,
      backend: TFJS_ANCHOR,
      case: opCase.id,
      label: `${opCase.id} ${opCase.shape}`,
      async run() {
        const rows = [];
        for (const { op, run, inputs } of tfjsOps(runtime.tf, opCase)) {
          const workload: Workload = async (calls) => {
            let output = run();
            for (let i = 1; i < calls; i++) {
              output.dispose();
              output = run();
            }
            await output.data();
            output.dispose();
          };
          try {
            const measurement = await measure(workload, settings);
            const fields = {
              section: 'anchors' as const,
              backend: TFJS_ANCHOR,
              case: opCase.id,
              label: opCase.label,
              shape: opCase.shape,
              flops: opCase.flops,
              op,
              notes: `${runtime.description}, NHWC layout`,
            };
            rows.push(makeRow(fields, measurement));
          } finally {
            inputs.forEach((t) => t.dispose());
          }
        }
        return rows;
      },
    }));
}
