import { tensor, type Tensor } from '@mobilemamba/core';
import {
  MobileMamba,
  VARIANTS,
  planFromConfig,
  randomStateDict,
  type StateDict,
  type VariantName,
} from '@mobilemamba/models';
import type { LoadedBackend } from '../backends.js';
import { measure, type SampleSettings, type Workload } from '../measure.js';
import { formatShape, makeRow, type Task } from '../results.js';
import { patternValues } from '../values.js';

/** Seed of the random weights every whole-model case uses. */
export const WEIGHT_SEED = 0;

/** Runs the network on the uploaded batch and reads the logits back to the host. */
function forwardWorkload(model: MobileMamba, input: Tensor): Workload {
  return async (calls) => {
    for (let i = 0; i < calls; i++) {
      const logits = model.forward(input);
      try {
        await logits.data();
      } finally {
        logits.dispose();
      }
    }
  };
}

/**
 * Creates one task per backend, variant and batch size, at the variant's native
 * resolution with seeded random weights. A model is built once per backend
 * and variant, shared by its batch sizes, and freed after the last one.
 */
export function modelTasks(
  variants: readonly VariantName[],
  batches: readonly number[],
  backends: readonly LoadedBackend[],
  settings: SampleSettings,
): Task[] {
  const stateDicts = new Map<VariantName, StateDict>();
  const stateDictOf = (variant: VariantName) => {
    let stateDict = stateDicts.get(variant);
    if (!stateDict) {
      stateDict = randomStateDict(planFromConfig(VARIANTS[variant]), WEIGHT_SEED);
      stateDicts.set(variant, stateDict);
    }
    return stateDict;
  };

  const tasks: Task[] = [];
  for (const loaded of backends) {
    for (const variant of variants) {
      let model: MobileMamba | null = null;
      batches.forEach((batch, index) => {
        const size = VARIANTS[variant].imgSize;
        const shape = [batch, 3, size, size];
        const isLast = index === batches.length - 1;
        tasks.push({
          section: 'models',
          backend: loaded.name,
          case: variant,
          label: `MobileMamba ${variant.toUpperCase()} ${formatShape(shape)}`,
          async run() {
            model ??= MobileMamba.fromStateDict(stateDictOf(variant), { model: variant, backend: loaded.backend });
            const input = tensor(patternValues(batch * 3 * size * size), shape, loaded.backend);
            try {
              const measurement = await measure(forwardWorkload(model, input), settings);
              const fields = {
                section: 'models' as const,
                backend: loaded.name,
                ...(loaded.device ? { device: loaded.device.name } : {}),
                case: variant,
                label: `MobileMamba ${variant.toUpperCase()}`,
                shape: formatShape(shape),
                flops: 2 * model.description.macs * batch,
                batch,
              };
              return [makeRow(fields, measurement)];
            } finally {
              input.dispose();
              if (isLast) {
                model.dispose();
                model = null;
              }
            }
          },
        });
      });
    }
  }
  return tasks;
}
