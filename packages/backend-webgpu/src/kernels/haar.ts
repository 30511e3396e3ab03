import type { HaarAttributes, InverseHaarAttributes, KernelTensor } from '@mobilemamba/core';
import type { GpuRuntime } from '../gpu/runtime.js';
import type { GpuStorage } from '../gpu/storage.js';
import { Params } from '../gpu/uniforms.js';
import { dwtProgram, idwtProgram } from '../shaders/haar.js';
import { flatGrid } from './grid.js';

/** Haar analysis [B, C, H, W] to [B, 4C, ceil(H/2), ceil(W/2)], one invocation per 2x2 block. */
export function dwt2d(runtime: GpuRuntime, x: KernelTensor, attributes: HaarAttributes): GpuStorage {
  const input = runtime.storageOf(x, 'dwt2d', 'x');
  const [batch, channels, height, width] = x.shape;
  const [halfHeight, halfWidth] = [Math.ceil(height / 2), Math.ceil(width / 2)];
  const blocks = batch * channels * halfHeight * halfWidth;
  const output = runtime.allocate(4 * blocks, 'dwt2d');
  if (blocks === 0) return output;

  const grid = flatGrid(runtime, blocks);
  const params = new Params().u32(blocks, grid.groupsX, height, width, halfHeight, halfWidth).f32(attributes.tap);
  runtime.dispatch('dwt2d', dwtProgram(), [input, output], params, grid.workgroups);
  return output;
}

/** Haar synthesis [B, 4C, h, w] to [B, C, outHeight, outWidth], one invocation per subband position. */
export function idwt2d(runtime: GpuRuntime, x: KernelTensor, attributes: InverseHaarAttributes): GpuStorage {
  const input = runtime.storageOf(x, 'idwt2d', 'x');
  const [batch, subbands, halfHeight, halfWidth] = x.shape;
  const planes = batch * (subbands / 4);
  const positions = planes * halfHeight * halfWidth;
  const output = runtime.allocate(planes * attributes.outHeight * attributes.outWidth, 'idwt2d');
  if (positions === 0) return output;

  const grid = flatGrid(runtime, positions);
  const params = new Params()
    .u32(positions, grid.groupsX, halfHeight, halfWidth, attributes.outHeight, attributes.outWidth)
    .f32(attributes.tap);
  runtime.dispatch('idwt2d', idwtProgram(), [input, output], params, grid.workgroups);
  return output;
}
