import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, add, conv2d, tensor, tidy, type Conv2dOptions } from '../src/index.js';
import { createMinimalBackend } from './minimal-backend.js';

describe('op validation', () => {
  it('rejects an unknown conv2d option', () => {
    const backend = createMinimalBackend();
    const x = tensor(new Float32Array(16), [1, 1, 4, 4], backend);
    const w = tensor(new Float32Array(9), [1, 1, 3, 3], backend);
    const options = { dilation: 2 } as unknown as Conv2dOptions;
    expect(() => conv2d(x, w, null, options)).toThrow(InvalidArgumentError);
    expect(() => conv2d(x, w, null, options)).toThrow("conv2d: invalid argument 'options.dilation' (2): unknown option (supported: stride, padding, groups)");
  });

  it('tells two instances of one backend apart', () => {
    const a = tensor([1], [1], createMinimalBackend('same'));
    const b = tensor([1], [1], createMinimalBackend('same'));
    expect(() => add(a, b)).toThrow(/lives on another instance of backend same than 'a'/);
  });

  it('rejects tidy without a function', () => {
    expect(() => tidy(42 as never)).toThrow('tidy: expected a function, got number');
  });
});
