import type { LoadedBackend } from '../backends.js';
import { measure, type SampleSettings, type Workload } from '../measure.js';
import { makeRow, type Task } from '../results.js';
import type { OpCase, PreparedOp } from './op-cases.js';

/**
 * Repeats the op `calls` times, freeing each output but the last, and reads
 * the last output back to the host.
 */
function opWorkload(op: PreparedOp): Workload {
  return async (calls) => {
    let output = op.run();
    for (let i = 1; i < calls; i++) {
      output.dispose();
      output = op.run();
    }
    try {
      await output.data();
    } finally {
      output.dispose();
    }
  };
}

/** Creates one task per backend and op case. */
export function opTasks(cases: readonly OpCase[], backends: readonly LoadedBackend[], settings: SampleSettings): Task[] {
  return backends.flatMap(({ name, backend, device }) =>
    cases.map((opCase) => ({
      section: 'ops' as const,
      backend: name,
      case: opCase.id,
      label: `${opCase.id} ${opCase.shape}`,
      async run() {
        const prepared = opCase.prepare(backend);
        try {
          const measurement = await measure(opWorkload(prepared), settings);
          const fields = {
            section: 'ops' as const,
            backend: name,
            ...(device ? { device: device.name } : {}),
            case: opCase.id,
            label: opCase.label,
            shape: opCase.shape,
            flops: opCase.flops,
          };
          return [makeRow(fields, measurement)];
        } finally {
          prepared.dispose();
        }
      },
    })),
  );
}
