import { describeConformance } from '@mobilemamba/conformance';
import { createCpuBackend } from '../src/index.js';

// The default configuration: every core and SIMD128. Two threads at least,
// so that the split across workers is tested on a single-core machine too.
describeConformance({
  name: 'cpu (threads, SIMD)',
  createBackend: () => createCpuBackend({ threads: 2 }),
});
