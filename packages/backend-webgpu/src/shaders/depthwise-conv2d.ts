import type { ShaderProgram } from '../gpu/pipeline-cache.js';
import { FLAT_INDEX, WORKGROUP_SIZE } from './common.js';

/** Side of the square output tile one workgroup of the tiled depthwise conv computes. */
export const DEPTHWISE_TILE = 8;

/** Largest input patch, in floats, that the tiled variant stages in workgroup memory (8 KiB). */
export const MAX_PATCH_FLOATS = 2048;

/** Sizes that the tiled variant compiles in as constants. */
export interface DepthwiseGeometry {
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideY: number;
  readonly strideX: number;
}

/** Rows and columns of the input patch behind one output tile. */
export function patchSize(geometry: DepthwiseGeometry): [number, number] {
  return [
    (DEPTHWISE_TILE - 1) * geometry.strideY + geometry.kernelHeight,
    (DEPTHWISE_TILE - 1) * geometry.strideX + geometry.kernelWidth,
  ];
}

/**
 * Depthwise 2-D cross-correlation with spatial tiles:
 * y[b, c, oy, ox] = bias[c] + sum_{ky, kx} w[c, 0, ky, kx] * x[b, c, oy*sy - top + ky, ox*sx - left + kx].
 *
 * Workgroup (tile, plane) computes an 8 x 8 output tile of one (b, c)
 * plane. Its 64 invocations first copy the input patch under the tile
 * (zero where it falls in the padding) into workgroup memory, so each input
 * value is read from the buffer once instead of kh * kw times. Kernel size
 * and stride are constants of the source, so the tap loops unroll.
 */
export function tiledDepthwiseProgram(geometry: DepthwiseGeometry, withBias: boolean): ShaderProgram {
  const { kernelHeight, kernelWidth, strideY, strideX } = geometry;
  const [patchHeight, patchWidth] = patchSize(geometry);
  return {
    key: `depthwise/tiled/${kernelHeight}x${kernelWidth}/stride-${strideY}x${strideX}/${withBias ? 'bias' : 'no-bias'}`,
    bindings: withBias ? ['read', 'read', 'read', 'write'] : ['read', 'read', 'write'],
    source: () => /* wgsl */ `
struct Params {
  planes: u32, channels: u32, inHeight: u32, inWidth: u32,
  outHeight: u32, outWidth: u32, padTop: u32, padLeft: u32,
  tilesX: u32, planesPerZ: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
${bindingsTail(withBias)}

const TILE = ${DEPTHWISE_TILE}u;
const KERNEL_H = ${kernelHeight}u;
const KERNEL_W = ${kernelWidth}u;
const STRIDE_Y = ${strideY}u;
const STRIDE_X = ${strideX}u;
const PATCH_H = ${patchHeight}u;
const PATCH_W = ${patchWidth}u;
var<workgroup> staged: array<f32, ${patchHeight * patchWidth}>;

@compute @workgroup_size(${DEPTHWISE_TILE}, ${DEPTHWISE_TILE}, 1)
fn main(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_id) local: vec3<u32>,
  @builtin(local_invocation_index) localIndex: u32,
) {
  // Every value below that the barrier depends on comes from the workgroup id, so it is uniform.
  let plane = group.y + group.z * params.planesPerZ;
  if (plane >= params.planes) {
    return;
  }
  let firstRow = (group.x / params.tilesX) * TILE;
  let firstColumn = (group.x % params.tilesX) * TILE;
  let inputPlane = plane * params.inHeight * params.inWidth;
  let top = i32(firstRow * STRIDE_Y) - i32(params.padTop);
  let left = i32(firstColumn * STRIDE_X) - i32(params.padLeft);

  for (var e = localIndex; e < PATCH_H * PATCH_W; e += TILE * TILE) {
    let row = top + i32(e / PATCH_W);
    let column = left + i32(e % PATCH_W);
    var value = 0.0;
    if (row >= 0 && row < i32(params.inHeight) && column >= 0 && column < i32(params.inWidth)) {
      value = x[inputPlane + u32(row) * params.inWidth + u32(column)];
    }
    staged[e] = value;
  }
  workgroupBarrier();

  let oy = firstRow + local.y;
  let ox = firstColumn + local.x;
  if (oy >= params.outHeight || ox >= params.outWidth) {
    return;
  }
  let channel = plane % params.channels;
  let firstTap = channel * KERNEL_H * KERNEL_W;
  var sum = ${withBias ? 'bias[channel]' : '0.0'};
  for (var ky = 0u; ky < KERNEL_H; ky++) {
    for (var kx = 0u; kx < KERNEL_W; kx++) {
      sum += staged[(local.y * STRIDE_Y + ky) * PATCH_W + local.x * STRIDE_X + kx] * w[firstTap + ky * KERNEL_W + kx];
    }
  }
  y[plane * params.outHeight * params.outWidth + oy * params.outWidth + ox] = sum;
}`,
  };
}

/**
 * The same depthwise conv without workgroup memory, one invocation per
 * output element, for kernels whose input patch would not fit
 * MAX_PATCH_FLOATS.
 */
export function directDepthwiseProgram(withBias: boolean): ShaderProgram {
  return {
    key: `depthwise/direct/${withBias ? 'bias' : 'no-bias'}`,
    bindings: withBias ? ['read', 'read', 'read', 'write'] : ['read', 'read', 'write'],
    source: () => /* wgsl */ `
struct Params {
  count: u32, groupsX: u32, channels: u32, inHeight: u32,
  inWidth: u32, outHeight: u32, outWidth: u32, kernelHeight: u32,
  kernelWidth: u32, strideY: u32, strideX: u32, padTop: u32,
  padLeft: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
${bindingsTail(withBias)}
${FLAT_INDEX}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = flatIndex(id);
  if (i >= params.count) {
    return;
  }
  let ox = i % params.outWidth;
  let oy = (i / params.outWidth) % params.outHeight;
  let plane = i / (params.outWidth * params.outHeight);
  let channel = plane % params.channels;
  let inputPlane = plane * params.inHeight * params.inWidth;
  let top = i32(oy * params.strideY) - i32(params.padTop);
  let left = i32(ox * params.strideX) - i32(params.padLeft);
  let firstTap = channel * params.kernelHeight * params.kernelWidth;

  var sum = ${withBias ? 'bias[channel]' : '0.0'};
  for (var ky = 0u; ky < params.kernelHeight; ky++) {
    let row = top + i32(ky);
    if (row < 0 || row >= i32(params.inHeight)) {
      continue;
    }
    for (var kx = 0u; kx < params.kernelWidth; kx++) {
      let column = left + i32(kx);
      if (column >= 0 && column < i32(params.inWidth)) {
        sum += x[inputPlane + u32(row) * params.inWidth + u32(column)] * w[firstTap + ky * params.kernelWidth + kx];
      }
    }
  }
  y[i] = sum;
}`,
  };
}

function bindingsTail(withBias: boolean): string {
  return withBias
    ? `@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;`
    : '@group(0) @binding(3) var<storage, read_write> y: array<f32>;';
}
