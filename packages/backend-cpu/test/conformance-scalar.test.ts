import { describeConformance } from '@mobilemamba/conformance';
import { createCpuBackend } from '../src/index.js';

describeConformance({
  name: 'cpu (one thread, scalar)',
  createBackend: () => createCpuBackend({ threads: 1, simd: false }),
});
