import { add, layerNorm, relu, tensor, type Backend } from '@mobilemamba/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeadlessGlContext, destroyHeadlessGlContext } from '../src/context/headless-gl.js';
import { createWebGlBackend } from '../src/index.js';

/** Creates a headless-gl context that counts its live GL textures, or returns the reason it cannot. */
function countingContext(): { context: WebGLRenderingContext; liveTextures: () => number } | string {
  let context: WebGLRenderingContext;
  try {
    context = createHeadlessGlContext();
  } catch (error) {
    return (error as Error).message;
  }

  const live = new Set<WebGLTexture>();
  const createTexture = context.createTexture.bind(context);
  const deleteTexture = context.deleteTexture.bind(context);
  context.createTexture = () => {
    const texture = createTexture();
    if (texture) live.add(texture);
    return texture;
  };
  context.deleteTexture = (texture) => {
    if (texture) live.delete(texture);
    deleteTexture(texture);
  };
  return { context, liveTextures: () => live.size };
}

const counted = countingContext();
const unavailable = typeof counted === 'string' ? counted : null;

describe.skipIf(unavailable !== null)(`webgl kernel cache and textures${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const { context, liveTextures } = counted as Exclude<typeof counted, string>;
  let backend: Backend;

  beforeAll(async () => {
    backend = createWebGlBackend({ context });
    await backend.init();
  });

  afterAll(async () => {
    await backend.destroy?.();
    destroyHeadlessGlContext(context);
  });

  const kernels = () => backend.memory().kernels;

  it('compiles a kernel once per size', async () => {
    const x = tensor([-1, 2, -3, 4, -5, 6], [2, 3], backend);
    const before = kernels();

    const first = relu(x);
    expect(kernels()).toBe(before + 1);
    const second = relu(x.reshape([3, 2]));
    expect(kernels(), 'same size, other shape').toBe(before + 1);
    expect(await second.data()).toEqual(Float32Array.of(0, 2, 0, 4, 0, 6));

    const longer = tensor([1, -1, 1, -1], [4], backend);
    const beforeLonger = kernels();
    const third = relu(longer);
    expect(kernels(), 'another output size').toBe(beforeLonger + 1);
    [x, first, second, longer, third].forEach((t) => t.dispose());
  });

  it('keys kernels by their constants', async () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [1, 3, 2], backend);
    const weight = tensor([1, 1, 1], [3], backend);
    const bias = tensor([0, 0, 0], [3], backend);
    const before = kernels();

    const a = layerNorm(x, weight, bias, 1e-5);
    const afterFirst = kernels();
    const b = layerNorm(x, weight, bias, 1e-5);
    expect(kernels(), 'same eps').toBe(afterFirst);
    const c = layerNorm(x, weight, bias, 1e-3);
    expect(kernels(), 'another eps').toBeGreaterThan(afterFirst);
    expect(afterFirst).toBeGreaterThan(before);

    // A larger eps pulls every normalised value toward 0, and the non-zero ones strictly.
    const [tight, loose] = [await b.data(), await c.data()];
    tight.forEach((value, i) => expect(Math.abs(loose[i])).toBeLessThanOrEqual(Math.abs(value)));
    expect(loose.some((value, i) => Math.abs(value) < Math.abs(tight[i]))).toBe(true);
    [x, weight, bias, a, b, c].forEach((t) => t.dispose());
  });

  it('returns memory to its earlier figures on dispose', () => {
    const before = backend.memory();
    const x = tensor(new Float32Array(1000).fill(2), [10, 100], backend);
    const y = add(x, x);
    const during = backend.memory();
    expect(during.allocations).toBe(before.allocations + 2);
    expect(during.bytes).toBeGreaterThanOrEqual(before.bytes + 2 * 1000 * 4);

    x.dispose();
    y.dispose();
    expect(backend.memory().allocations).toBe(before.allocations);
    expect(backend.memory().bytes).toBe(before.bytes);
  });

  it('deletes textures on dispose', () => {
    const cycle = () => {
      const x = tensor(new Float32Array(4096).fill(1), [64, 64], backend);
      const sum = add(x, x);
      const y = relu(sum);
      [x, sum, y].forEach((t) => t.dispose());
    };
    // Each cached kernel keeps its last output texture for reuse, so warm up first.
    cycle();
    const warm = liveTextures();

    for (let i = 0; i < 20; i++) cycle();
    expect(liveTextures()).toBe(warm);
  });

  it('rejects reading a disposed tensor', async () => {
    const x = tensor([1, 2, 3], [3], backend);
    const handle = x.handle;
    x.dispose();
    await expect(backend.download(handle, 3)).rejects.toThrow('not live storage');
  });

  it('frees every texture on destroy', async () => {
    const other = createWebGlBackend({ context });
    await other.init();
    const before = liveTextures();
    const x = tensor([1, 2, 3, 4], [4], other);
    const y = relu(x);
    expect(liveTextures()).toBeGreaterThan(before);
    expect(other.memory().allocations).toBe(2);

    await other.destroy?.();
    expect(liveTextures()).toBeLessThanOrEqual(before);
  });
});
