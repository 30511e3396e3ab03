import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, tensor } from '@mobilemamba/core';
import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { findFixture } from '../../conformance/src/fixtures.js';
import {
  ArchitectureMismatchError,
  MobileMamba,
  VARIANTS,
  expectedShapes,
  planFromConfig,
  readStateDict,
  type MobileMambaConfig,
  type StateDict,
} from '../src/index.js';

const backend = createReferenceBackend();
await backend.init();

function load(path: string): StateDict {
  return readStateDict(readFileSync(findFixture(path)!), { source: path }).stateDict;
}

const tinyInput = readStateDict(readFileSync(findFixture('models/tiny.io.safetensors')!)).stateDict.get('input')!;

async function logitsOf(model: MobileMamba, values: Float32Array, batch: number): Promise<Float32Array> {
  return model.predict(values, [batch, 3, tinyInput.shape[2], tinyInput.shape[3]]);
}

describe('MobileMamba', () => {
  it('gives the same logits from fused and unfused weights', async () => {
    const unfused = MobileMamba.fromStateDict(load('models/tiny.weights.safetensors'), { backend });
    const fused = MobileMamba.fromStateDict(load('models/tiny.fused.safetensors'), { backend });
    expect(unfused.description.form).toBe('unfused');
    expect(fused.description.form).toBe('fused');

    const a = await logitsOf(unfused, tinyInput.data, 2);
    const b = await logitsOf(fused, tinyInput.data, 2);
    const scale = Math.max(1, ...Array.from(a, Math.abs));
    a.forEach((value, i) => expect(Math.abs(value - b[i])).toBeLessThanOrEqual(2e-5 * scale));
    unfused.dispose();
    fused.dispose();
  });

  it('treats a batch as independent images', async () => {
    const model = MobileMamba.fromStateDict(load('models/tiny.weights.safetensors'), { backend });
    const perImage = tinyInput.data.length / 2;
    const batched = await logitsOf(model, tinyInput.data, 2);
    const first = await logitsOf(model, tinyInput.data.subarray(0, perImage), 1);
    const second = await logitsOf(model, tinyInput.data.subarray(perImage), 1);
    expect(Array.from(batched)).toEqual([...first, ...second]);
    model.dispose();
  });

  it('frees every tensor after predict and dispose', async () => {
    const before = backend.memory().allocations;
    const model = MobileMamba.fromStateDict(load('models/tiny.weights.safetensors'), { backend });
    await logitsOf(model, tinyInput.data, 2);
    model.dispose();
    expect(backend.memory().allocations).toBe(before);
  });

  it('rejects a non-finite input value', async () => {
    const model = MobileMamba.fromStateDict(load('models/tiny.weights.safetensors'), { backend });
    const values = tinyInput.data.slice();
    values[17] = Number.NaN;
    await expect(logitsOf(model, values, 2)).rejects.toThrow(InvalidArgumentError);
    await expect(logitsOf(model, values, 2)).rejects.toThrow(/element 17 is not finite/);
    model.dispose();
  });

  it('rejects input without three channels', () => {
    const model = MobileMamba.fromStateDict(load('models/tiny.weights.safetensors'), { backend });
    const x = tensor(new Float32Array(4 * 8 * 8), [1, 4, 8, 8], backend);
    expect(() => model.forward(x)).toThrow(/expected \[B, 3, H, W\]/);
    x.dispose();
    model.dispose();
  });

  it('runs at any input size, odd ones included', async () => {
    const model = MobileMamba.fromStateDict(load('models/tiny.weights.safetensors'), { backend });
    for (const [height, width] of [[1, 1], [17, 23], [96, 40]]) {
      const logits = await model.predict(new Float32Array(3 * height * width).fill(0.5), [1, 3, height, width]);
      expect(logits).toHaveLength(10);
      expect(logits.every(Number.isFinite)).toBe(true);
    }
    model.dispose();
  });

  it('lists missing, unexpected and mis-shaped tensors', () => {
    const stateDict = load('models/tiny.weights.safetensors');
    stateDict.delete('head.l.bias');
    stateDict.set('extra.weight', { shape: [1], data: new Float32Array(1), storedDType: 'F32' });
    const misshapen = stateDict.get('blocks1.0.dw0.m.bn.weight')!;
    stateDict.set('blocks1.0.dw0.m.bn.weight', { ...misshapen, shape: [misshapen.shape[0] / 2, 2] });

    const config = JSON.parse(readStateDict(readFileSync(findFixture('models/tiny.weights.safetensors')!)).metadata!.config);
    const tinyConfig: MobileMambaConfig = {
      imgSize: config.img_size,
      embedDims: config.embed_dim,
      depths: config.depth,
      globalRatios: config.global_ratio,
      localRatios: config.local_ratio,
      kernels: config.kernels,
      ssmRatio: config.ssm_ratio,
      numClasses: 10,
      distillation: false,
    };
    let error: ArchitectureMismatchError | null = null;
    try {
      MobileMamba.fromStateDict(stateDict, { backend, model: tinyConfig });
    } catch (caught) {
      error = caught as ArchitectureMismatchError;
    }
    expect(error).toBeInstanceOf(ArchitectureMismatchError);
    expect(error!.missing).toEqual(['head.l.bias']);
    expect(error!.unexpected).toEqual(['extra.weight']);
    expect(error!.misshapen.map((m) => m.key)).toEqual(['blocks1.0.dw0.m.bn.weight']);
  });

  it('reports that B1, B2 and B4 share an architecture', () => {
    const plan = planFromConfig(VARIANTS.b1);
    const stateDict: StateDict = new Map();
    for (const [key, shape] of expectedShapes(plan, 'fused')) {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      // The Haar filter banks must hold the real filters; everything else may be zero.
      if (/wt_filter$/.test(key)) {
        const signs = [1, 1, 1, 1, 1, 1, -1, -1, 1, -1, 1, -1, 1, -1, -1, 1];
        data.forEach((_, i) => (data[i] = 0.5 * signs[i % 16]));
      }
      stateDict.set(key, { shape, data, storedDType: 'F32' });
    }

    const automatic = MobileMamba.fromStateDict(stateDict, { backend });
    expect(automatic.description.matchingVariants).toEqual(['b1', 'b2', 'b4']);
    expect(automatic.imgSize).toBe(VARIANTS.b1.imgSize);
    automatic.dispose();

    const named = MobileMamba.fromStateDict(stateDict, { backend, model: 'b4' });
    expect(named.description.variant).toBe('b4');
    expect(named.imgSize).toBe(VARIANTS.b4.imgSize);
    named.dispose();
  });
});
