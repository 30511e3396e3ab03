import { describe, expect, it } from 'vitest';
import { add, keep, memory, relu, tensor, tidy, UnsupportedKernelError, flip } from '../src/index.js';
import { createMinimalBackend } from './minimal-backend.js';

describe('tidy', () => {
  it('disposes intermediates and keeps the result', () => {
    const backend = createMinimalBackend();
    const x = tensor([1, -2, 3], [3], backend);
    const result = tidy(() => relu(add(x, x)));
    expect(result.dataSync()).toEqual(new Float32Array([2, 0, 6]));
    expect(backend.live.size).toBe(2);
    result.dispose();
    x.dispose();
    expect(backend.live.size).toBe(0);
  });

  it('keeps tensors passed to keep', () => {
    const backend = createMinimalBackend();
    let kept = null as ReturnType<typeof relu> | null;
    tidy(() => {
      kept = keep(relu(tensor([-1, 1], [2], backend)));
    });
    expect(kept!.isDisposed).toBe(false);
    expect(backend.live.size).toBe(1);
    kept!.dispose();
  });

  it('disposes everything when the function throws', () => {
    const backend = createMinimalBackend();
    const before = memory().numTensors;
    expect(() =>
      tidy(() => {
        relu(tensor([1, 2], [2], backend));
        return flip(tensor([1, 2], [2], backend), 0);
      }),
    ).toThrow(UnsupportedKernelError);
    expect(backend.live.size).toBe(0);
    expect(memory().numTensors).toBe(before);
  });

  it('shares storage between a tensor and its reshaped view', () => {
    const backend = createMinimalBackend();
    const x = tensor([1, 2, 3, 4], [2, 2], backend);
    const view = x.reshape([4]);
    x.dispose();
    expect(backend.live.size).toBe(1);
    expect(view.dataSync()).toEqual(new Float32Array([1, 2, 3, 4]));
    view.dispose();
    expect(backend.live.size).toBe(0);
  });

  it('rejects a reshape to another size', () => {
    const x = tensor([1, 2, 3, 4], [2, 2], createMinimalBackend());
    expect(() => x.reshape([3])).toThrow(/cannot view a tensor of shape \[2, 2\] \(4 elements\)/);
    x.dispose();
  });
});
