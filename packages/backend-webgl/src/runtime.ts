import { MobileMambaError } from '@mobilemamba/core';
import { GPU, Texture, type IGPUKernelSettings, type IKernelRunShortcut } from 'gpu.js';
import { HELPER_FUNCTIONS, KERNEL_SOURCES } from './generated/kernel-sources.js';
import { KernelCache } from './kernel-cache.js';
import { TextureStorage } from './storage.js';

/** Named numeric constants that gpu.js compiles into a kernel's shader. */
export type KernelConstants = Readonly<Record<string, number>>;

/**
 * JavaScript source text of a gpu.js kernel function: an entry of
 * KERNEL_SOURCES in src/generated/kernel-sources.ts. The build writes it
 * from the kernel functions in src/, the functions whose first parameter is
 * `this: KernelThis<...>`. gpu.js translates that text to GLSL, so a kernel
 * function may use only its arguments, `this.thread.x`, `this.constants`,
 * Math and the helpers of kernels/kernel-globals.d.ts: nothing from its
 * module. Loops must start at a literal and end at a constant, so that
 * WebGL 1 accepts them as they are. The text ships as a string literal
 * because minifiers rewrite function text in ways gpu.js does not
 * translate, but leave strings as they are.
 */
export type KernelSource = string;

/** The `this` of a kernel function: the flat output index and the constants. */
export interface KernelThis<Constants extends KernelConstants> {
  readonly thread: { readonly x: number };
  readonly constants: Constants;
}

/** One kernel launch: one output value per thread, with `this.thread.x` its flat index. */
export interface KernelLaunch {
  /** Kernel family, the first part of the cache key, such as 'conv2d/pointwise'. */
  readonly name: string;
  readonly source: KernelSource;
  /** Number of output values. */
  readonly outputSize: number;
  readonly constants: KernelConstants;
  /** Texture arguments in the order of the source's parameters. */
  readonly inputs: readonly TextureStorage[];
}

/**
 * Settings of every kernel. The outputs stay on the GPU as textures, and
 * each call returns a new texture rather than overwriting the last one.
 * `tactic: 'precision'` keeps highp floats in every shader: without it
 * gpu.js picks mediump (float16 on many GPUs) for small textures. One value
 * per texel reads faster than gpu.js's four-per-texel packing: a
 * 576-to-144 1x1 conv over 12 x 144 positions took 0.32 s against 0.53 s
 * (headless-gl on Mesa llvmpipe under Xvfb, 2-core VM).
 */
const KERNEL_SETTINGS: IGPUKernelSettings = {
  pipeline: true,
  immutable: true,
  precision: 'single',
  optimizeFloatMemory: false,
  tactic: 'precision',
  dynamicOutput: false,
  dynamicArguments: false,
};

/** Largest number of values in one tensor, because floorDivide and the float32 indices in the shaders are exact only below it. */
export const MAX_TENSOR_SIZE = 2 ** 23;

/** Copies a Float32Array argument into a texture. */
function copyValuesSource(this: KernelThis<KernelConstants>, values: number[]): number {
  return values[this.thread.x];
}

/**
 * Compiles, caches and runs gpu.js kernels on one WebGL context, and moves
 * values between the host and textures.
 */
export class WebGlRuntime {
  readonly cache = new KernelCache();
  /** A one-value texture passed in place of an empty input, because every kernel argument must be a texture. */
  private readonly placeholder: TextureStorage;

  constructor(
    private readonly gpu: GPU,
    private readonly context: WebGLRenderingContext | WebGL2RenderingContext,
  ) {
    for (const helper of HELPER_FUNCTIONS) {
      // gpu.js's typings take a function here, but it accepts source text as createKernel does.
      gpu.addFunction(helper.source as never, { argumentTypes: helper.argumentTypes, returnType: helper.returnType });
    }
    this.placeholder = this.upload(new Float32Array(1));
  }

  /** Returns storage for a tensor with no values, which needs no texture. */
  empty(): TextureStorage {
    return new TextureStorage(null, 0, 0);
  }

  /** Runs a kernel and returns its output, or empty storage without running anything when the output is empty. */
  run(launch: KernelLaunch): TextureStorage {
    if (launch.outputSize === 0) return this.empty();
    checkSize(launch.name, launch.outputSize);

    const textures = launch.inputs.map((input) => input.texture ?? this.placeholder.texture!);
    const constants = Object.entries(launch.constants).map(([name, value]) => `${name}=${value}`);
    const key = `${launch.name}|out=${launch.outputSize}|in=${launch.inputs.map((input) => input.size).join(',')}|${constants.join(',')}`;
    const kernel = this.cache.getOrCreate(key, () => this.compile(key, launch.source, launch.outputSize, launch.constants));
    return this.wrap(key, kernel(...textures), launch.outputSize);
  }

  /** Copies host values into a new texture. */
  upload(values: Float32Array): TextureStorage {
    if (values.length === 0) return this.empty();
    checkSize('upload', values.length);

    const key = `upload|out=${values.length}`;
    const kernel = this.cache.getOrCreate(key, () => this.compile(key, KERNEL_SOURCES.copyValuesSource, values.length, {}));
    return this.wrap(key, kernel(values), values.length);
  }

  /** Reads the first `size` values of a texture back to the host; WebGL's readPixels blocks until the GPU is done. */
  read(storage: TextureStorage, size: number): Float32Array {
    if (size === 0 || storage.texture === null) return new Float32Array(size);
    const values = storage.texture.toArray();
    if (!(values instanceof Float32Array)) {
      throw new MobileMambaError(`webgl backend: gpu.js returned ${values.constructor.name} for a flat float texture, expected a Float32Array`);
    }
    return values.slice(0, size);
  }

  /** Deletes a texture. Its GPU memory is freed once no kernel still references it. */
  release(storage: TextureStorage): void {
    storage.texture?.delete();
  }

  /** Destroys every compiled kernel and the placeholder texture. The caller owns the context. */
  destroy(): void {
    this.release(this.placeholder);
    this.cache.destroy();
  }

  private compile(key: string, source: KernelSource, outputSize: number, constants: KernelConstants): IKernelRunShortcut {
    return this.gpu.createKernel(source, {
      ...KERNEL_SETTINGS,
      output: [outputSize],
      constants: { ...constants },
      // gpu.js would otherwise rerun a kernel that WebGL cannot run on the CPU and return arrays, not textures.
      onRequestFallback: () => {
        throw new MobileMambaError(`webgl backend: kernel ${key} cannot run on this WebGL context, and gpu.js requested its CPU fallback`);
      },
    } as IGPUKernelSettings);
  }

  private wrap(key: string, result: unknown, size: number): TextureStorage {
    if (!(result instanceof Texture)) {
      throw new MobileMambaError(`webgl backend: kernel ${key} returned ${describeResult(result)} instead of a texture`);
    }
    const { size: [width, height], internalFormat } = result as unknown as { size: Int32Array; internalFormat: number };
    return new TextureStorage(result, size, width * height * this.texelBytes(internalFormat));
  }

  /** Bytes per texel: 4 for WebGL2's R32F, which gpu.js uses for scalar outputs there, and 16 for RGBA32F, WebGL 1's only float format. */
  private texelBytes(internalFormat: number): number {
    const { R32F } = this.context as Partial<WebGL2RenderingContext>;
    return R32F !== undefined && internalFormat === R32F ? 4 : 16;
  }
}

/** Rejects an output too large to index exactly; inputs were outputs or uploads, so they are checked too. */
function checkSize(op: string, size: number): void {
  if (size > MAX_TENSOR_SIZE) {
    throw new MobileMambaError(
      `webgl backend: ${op} would make a tensor of ${size} values, but the shaders index at most ${MAX_TENSOR_SIZE} exactly; use a smaller input size or batch, or another backend`,
    );
  }
}

function describeResult(result: unknown): string {
  if (result === null || result === undefined) return String(result);
  return typeof result === 'object' ? result.constructor.name : typeof result;
}
