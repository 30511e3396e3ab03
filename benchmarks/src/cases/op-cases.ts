import {
  conv2d,
  depthwiseConv2d,
  dwt2d,
  idwt2d,
  layerNorm,
  selectiveScan,
  tensor,
  type Backend,
  type Tensor,
} from '@mobilemamba/core';
import { VARIANTS, planFromConfig } from '@mobilemamba/models';
import { formatShape } from '../results.js';
import { patternValues, sizeOf } from '../values.js';

export const OP_GROUPS = ['conv1x1', 'depthwise', 'stem', 'scan', 'wavelet', 'layernorm'] as const;
export type OpGroup = (typeof OP_GROUPS)[number];

/** A convolution in NCHW terms; the TensorFlow.js anchor rebuilds it in NHWC. */
export interface ConvSpec {
  /** Input [B, Cin, H, W]. */
  input: [number, number, number, number];
  outChannels: number;
  kernel: number;
  stride: number;
  /** Zero padding on every side. */
  padding: number;
  depthwise: boolean;
}

/** One op at one shape, ready to upload its inputs to any of our backends. */
export interface OpCase {
  id: string;
  group: OpGroup;
  label: string;
  shape: string;
  /** Floating-point operations per call (2 per multiply-add). */
  flops: number;
  /** Set for the convolutions, which TensorFlow.js can run too. */
  conv?: ConvSpec;
  /** Uploads the inputs to `backend` and returns the op as a function of them. */
  prepare(backend: Backend): PreparedOp;
}

export interface PreparedOp {
  /** Runs the op once and returns its output. */
  run(): Tensor;
  /** Frees the uploaded inputs. */
  dispose(): void;
}

/** Output length of a convolution along one axis. */
function convOutput(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

/** Output size of the k=3, stride-2, padding-1 convs of the stem and PatchMerging. */
const halve = (size: number) => convOutput(size, 3, 2, 1);

function convFlops(spec: ConvSpec): number {
  const [batch, inChannels, height, width] = spec.input;
  const outArea = convOutput(height, spec.kernel, spec.stride, spec.padding) * convOutput(width, spec.kernel, spec.stride, spec.padding);
  const perOutput = (spec.depthwise ? 1 : inChannels) * spec.kernel * spec.kernel;
  return 2 * batch * spec.outChannels * outArea * perOutput;
}

function convCase(id: string, group: OpGroup, label: string, spec: ConvSpec): OpCase {
  const weightShape = [spec.outChannels, spec.depthwise ? 1 : spec.input[1], spec.kernel, spec.kernel];
  return {
    id,
    group,
    label,
    shape: `x ${formatShape(spec.input)}, w ${formatShape(weightShape)}${spec.stride > 1 ? `, stride ${spec.stride}` : ''}`,
    flops: convFlops(spec),
    conv: spec,
    prepare(backend) {
      const x = tensor(patternValues(sizeOf(spec.input)), spec.input, backend);
      const scale = 1 / Math.sqrt(sizeOf(weightShape) / spec.outChannels);
      const weight = tensor(patternValues(sizeOf(weightShape), 1).map((v) => v * scale), weightShape, backend);
      const options = { stride: spec.stride, padding: spec.padding };
      return {
        run: () => (spec.depthwise ? depthwiseConv2d(x, weight, null, options) : conv2d(x, weight, null, options)),
        dispose: () => {
          x.dispose();
          weight.dispose();
        },
      };
    },
  };
}

/**
 * Selective scan with two directions (K = 2) over `channels` = 2 * d_inner
 * channels of length L. FLOPs follow the authors' counting rule of
 * 9*L*D*N + D*L multiply-adds per direction, with D channels each.
 */
function scanCase(id: string, label: string, channels: number, length: number, states: number): OpCase {
  const groups = 2;
  const uShape = [1, channels, length];
  const bShape = [1, groups, states, length];
  return {
    id,
    group: 'scan',
    label,
    shape: `u ${formatShape(uShape)}, B and C ${formatShape(bShape)}`,
    flops: 2 * (9 * length * channels * states + channels * length),
    prepare(backend) {
      const upload = (shape: number[], phase: number, map: (v: number) => number = (v) => v) =>
        tensor(patternValues(sizeOf(shape), phase).map(map), shape, backend);
      const inputs = {
        u: upload(uShape, 0),
        delta: upload(uShape, 1),
        // A = -exp(A_logs) is negative, so the recurrence decays.
        A: upload([channels, states], 2, (v) => -Math.exp(v)),
        Bs: upload(bShape, 3),
        Cs: upload(bShape, 4),
        D: upload([channels], 5),
        deltaBias: upload([channels], 6, (v) => v - 2),
      };
      return {
        run: () =>
          selectiveScan(inputs.u, inputs.delta, inputs.A, inputs.Bs, inputs.Cs, {
            D: inputs.D,
            deltaBias: inputs.deltaBias,
            deltaSoftplus: true,
          }),
        dispose: () => Object.values(inputs).forEach((t) => t.dispose()),
      };
    },
  };
}

/** One-level Haar analysis or synthesis; 4 multiply-adds per output element. */
function waveletCase(id: string, label: string, direction: 'dwt' | 'idwt', channels: number, height: number, width: number): OpCase {
  const inputShape = direction === 'dwt' ? [1, channels, height, width] : [1, 4 * channels, Math.ceil(height / 2), Math.ceil(width / 2)];
  const outputs = direction === 'dwt' ? 4 * channels * Math.ceil(height / 2) * Math.ceil(width / 2) : channels * height * width;
  return {
    id,
    group: 'wavelet',
    label,
    shape: `x ${formatShape(inputShape)}`,
    flops: 8 * outputs,
    prepare(backend) {
      const x = tensor(patternValues(sizeOf(inputShape)), inputShape, backend);
      return {
        run: () => (direction === 'dwt' ? dwt2d(x) : idwt2d(x, height, width)),
        dispose: () => x.dispose(),
      };
    },
  };
}

/**
 * LayerNorm over the channels of [1, C, H, W]. FLOPs are a nominal 8 per
 * element (mean, variance, normalise, scale and shift); the kernels may
 * do more or fewer.
 */
function layerNormCase(id: string, label: string, shape: [number, number, number, number]): OpCase {
  return {
    id,
    group: 'layernorm',
    label,
    shape: `x ${formatShape(shape)}`,
    flops: 8 * sizeOf(shape),
    prepare(backend) {
      const x = tensor(patternValues(sizeOf(shape)), shape, backend);
      const weight = tensor(patternValues(shape[1], 1).map((v) => 1 + 0.5 * v), [shape[1]], backend);
      const bias = tensor(patternValues(shape[1], 2), [shape[1]], backend);
      return {
        run: () => layerNorm(x, weight, bias, 1e-5),
        dispose: () => [x, weight, bias].forEach((t) => t.dispose()),
      };
    },
  };
}

/**
 * Lists the per-op cases at the shapes MobileMamba T2 runs at its native
 * 192 x 192 with batch 1, whose three stages have feature maps of 12 x 12,
 * 6 x 6 and 3 x 3. A square 256^3 GEMM is added as a common yardstick.
 */
export function t2OpCases(): OpCase[] {
  const config = VARIANTS.t2;
  const [first, second, third] = planFromConfig(config).stages;
  // Output sizes of the four stem convs; the last is stage 1's feature map.
  const stemSizes: number[] = [];
  for (let size = config.imgSize; stemSizes.length < 4; ) {
    size = halve(size);
    stemSizes.push(size);
  }
  const size1 = stemSizes[3];
  const size2 = halve(size1);
  const size3 = halve(size2);
  const pointwise = (input: ConvSpec['input'], outChannels: number): ConvSpec => ({ input, outChannels, kernel: 1, stride: 1, padding: 0, depthwise: false });
  const depthwise = (input: ConvSpec['input'], kernel: number, stride = 1): ConvSpec => ({
    input,
    outChannels: input[1],
    kernel,
    stride,
    padding: (kernel - 1) / 2,
    depthwise: true,
  });
  const stemConv = (input: ConvSpec['input'], outChannels: number): ConvSpec => ({ input, outChannels, kernel: 3, stride: 2, padding: 1, depthwise: false });

  return [
    convCase('conv1x1-merge2-expand', 'conv1x1', '1x1 conv, PatchMerging to stage 2, expansion (most MACs of any 1x1 in T2)', pointwise([1, first.dim, size1, size1], 4 * first.dim)),
    convCase('conv1x1-merge3-expand', 'conv1x1', '1x1 conv, PatchMerging to stage 3, expansion', pointwise([1, second.dim, size2, size2], 4 * second.dim)),
    convCase('conv1x1-merge3-project', 'conv1x1', '1x1 conv, PatchMerging to stage 3, projection (longest reduction in T2)', pointwise([1, 4 * second.dim, size3, size3], third.dim)),
    convCase('conv1x1-256', 'conv1x1', '1x1 conv as a 256 x 256 x 256 GEMM', pointwise([1, 256, 16, 16], 256)),
    convCase('depthwise3x3-ss2d', 'depthwise', 'depthwise 3x3, SS2D conv in stage 1', depthwise([1, first.dInner, size1, size1], 3)),
    convCase('depthwise3x3-s2-merge', 'depthwise', 'depthwise 3x3 stride 2, PatchMerging to stage 2', depthwise([1, 4 * first.dim, size1, size1], 3, 2)),
    convCase('depthwise5x5-wavelet', 'depthwise', 'depthwise 5x5, wavelet conv in stage 2', depthwise([1, 4 * second.split.global, Math.ceil(size2 / 2), Math.ceil(size2 / 2)], 5)),
    convCase('depthwise7x7-wavelet', 'depthwise', 'depthwise 7x7, wavelet conv in stage 1', depthwise([1, 4 * first.split.global, Math.ceil(size1 / 2), Math.ceil(size1 / 2)], 7)),
    convCase('stem1', 'stem', 'stem conv 1, 3x3 stride 2 on the image', stemConv([1, 3, config.imgSize, config.imgSize], first.dim / 8)),
    convCase('stem2', 'stem', 'stem conv 2, 3x3 stride 2', stemConv([1, first.dim / 8, stemSizes[0], stemSizes[0]], first.dim / 4)),
    scanCase('scan-stage1', 'selective scan, stage 1', 2 * first.dInner, size1 * size1, first.dState),
    scanCase('scan-stage2', 'selective scan, stage 2', 2 * second.dInner, size2 * size2, second.dState),
    scanCase('scan-stage3', 'selective scan, stage 3', 2 * third.dInner, size3 * size3, third.dState),
    waveletCase('dwt-stage1', 'Haar analysis (dwt2d), stage 1', 'dwt', first.split.global, size1, size1),
    waveletCase('idwt-stage1', 'Haar synthesis (idwt2d), stage 1', 'idwt', first.split.global, size1, size1),
    layerNormCase('layernorm-stage1', 'LayerNorm over channels, SS2D output norm in stage 1', [1, first.dInner, size1, size1]),
  ];
}
