import type { Backend, KernelTensor } from '../src/index.js';

/**
 * A small host backend for testing core's own logic (scopes, registry,
 * validation). It implements only add and relu; kernel correctness is the
 * conformance suite's job.
 */
export function createMinimalBackend(name = 'minimal', failure?: string): Backend & { live: Set<Float32Array> } {
  const live = new Set<Float32Array>();
  const store = (values: Float32Array) => {
    live.add(values);
    return values;
  };
  const values = (t: KernelTensor) => t.handle as Float32Array;

  return {
    name,
    live,
    init: async () => {
      if (failure) throw new Error(failure);
    },
    upload: (data) => store(data.slice()),
    download: async (handle) => (handle as Float32Array).slice(),
    downloadSync: (handle) => (handle as Float32Array).slice(),
    disposeData: (handle) => {
      live.delete(handle as Float32Array);
    },
    memory: () => ({ bytes: [...live].reduce((sum, a) => sum + a.byteLength, 0), allocations: live.size }),
    kernels: {
      add: (a, b) => store(values(a).map((v, i) => v + values(b)[i % values(b).length])),
      relu: (x) => store(values(x).map((v) => Math.max(0, v))),
    },
  };
}
