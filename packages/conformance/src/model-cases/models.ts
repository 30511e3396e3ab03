import { readFileSync } from 'node:fs';
import { tensor, type Backend } from '@mobilemamba/core';
import { MobileMamba, readStateDict, type StateDict } from '@mobilemamba/models';
import { checkOpOutput, type HostTensor, type OutputFigures } from '../bounds.js';
import type { CaseContext, CaseGroup, ConformanceCase } from '../case.js';
import { findFixture, missingFixtureMessage, type FixtureOptions } from '../fixtures.js';
import { checkLogits } from './logits.js';
import { FixtureTensors } from './tensors.js';

/** A whole-network case: weights, the io file with input and expected outputs, and what to compare. */
interface ModelFixture {
  readonly id: string;
  /** Weight files merged into one state_dict (t2_distill adds its head to t2's). */
  readonly weights: readonly string[];
  /** Trainer checkpoint entry to read, for the .pth wrapper. */
  readonly entry?: 'net' | 'net_E';
  readonly io: string;
  /** Name of the expected logits in the io file. */
  readonly logits: string;
  /** Compare the stem, stage and pooled outputs too (at the per-op bound). */
  readonly intermediates: boolean;
}

const MODEL_FIXTURES: readonly ModelFixture[] = [
  { id: 'tiny/unfused', weights: ['models/tiny.weights.safetensors'], io: 'models/tiny.io.safetensors', logits: 'logits', intermediates: true },
  { id: 'tiny/fused', weights: ['models/tiny.fused.safetensors'], io: 'models/tiny.io.safetensors', logits: 'logits', intermediates: true },
  { id: 'tiny2/unfused-f16', weights: ['models/tiny2.weights.safetensors'], io: 'models/tiny2.io.safetensors', logits: 'logits', intermediates: true },
  { id: 'tiny2/fused', weights: ['models/tiny2.fused.safetensors'], io: 'models/tiny2.io.safetensors', logits: 'logits', intermediates: true },
  { id: 'tiny/net.pth', weights: ['models/tiny.net.pth'], io: 'models/tiny.io.safetensors', logits: 'logits', intermediates: false },
  { id: 'tiny/ckpt_trainer.pth/net', weights: ['models/tiny.ckpt_trainer.pth'], entry: 'net', io: 'models/tiny.pth_expected.safetensors', logits: 'logits_net', intermediates: false },
  { id: 'tiny/ckpt_trainer.pth/net_E', weights: ['models/tiny.ckpt_trainer.pth'], entry: 'net_E', io: 'models/tiny.pth_expected.safetensors', logits: 'logits_net_E', intermediates: false },
  { id: 't2/unfused', weights: ['models/t2.weights.safetensors'], io: 'models/t2.io.safetensors', logits: 'logits', intermediates: true },
  {
    id: 't2_distill/unfused',
    weights: ['models/t2.weights.safetensors', 'models/t2_distill.head_dist.weights.safetensors'],
    io: 'models/t2_distill.io.safetensors',
    logits: 'logits',
    intermediates: true,
  },
];

const INTERMEDIATES = ['patch_embed', 'blocks1', 'blocks2', 'blocks3', 'pooled'];

/**
 * Builds the whole-model fixture groups. Each case runs the network from the authors'
 * checkpoint files and compares logits at the logits bound (with the same
 * top-1), and stage outputs at the per-op bound.
 */
export function modelGroups(locator: FixtureOptions): CaseGroup[] {
  return MODEL_FIXTURES.map((fixture): CaseGroup => {
    const family = `model/${fixture.id}`;
    const title = `whole model ${fixture.id}`;
    const paths = [...fixture.weights, fixture.io];
    const found = paths.map((path) => findFixture(path, locator));
    const missing = paths.find((_, i) => found[i] === null);
    if (missing) return { family, title, missing: missingFixtureMessage(missing, locator) };

    return { family, title, cases: [modelCase(fixture, found as string[])] };
  });
}

function modelCase(fixture: ModelFixture, files: readonly string[]): ConformanceCase {
  return {
    id: `model/${fixture.id}`,
    run: async (backend: Backend, context: CaseContext): Promise<OutputFigures[]> => {
      const stateDict = mergeStateDicts(fixture, files.slice(0, -1));
      const io = FixtureTensors.read(fixture.io, files[files.length - 1]);
      const model = MobileMamba.fromStateDict(stateDict, { backend });
      try {
        return await compareNetwork(model, io, fixture, context);
      } finally {
        model.dispose();
      }
    },
  };
}

async function compareNetwork(model: MobileMamba, io: FixtureTensors, fixture: ModelFixture, context: CaseContext): Promise<OutputFigures[]> {
  const input = io.tensor('input');
  const x = tensor(input.values, input.shape, model.backend);
  const outputs = model.forwardWithIntermediates(x);
  x.dispose();
  try {
    const download = async (name: string): Promise<HostTensor> => ({ shape: outputs[name].shape, values: await outputs[name].data() });
    const figures = [checkLogits('logits', await download('logits'), io.tensor(fixture.logits), context.logits)];
    if (fixture.intermediates) {
      for (const name of INTERMEDIATES) figures.push(checkOpOutput(name, await download(name), io.tensor(name), context.opRelative));
    }
    return figures;
  } finally {
    Object.values(outputs).forEach((t) => t.dispose());
  }
}

function mergeStateDicts(fixture: ModelFixture, files: readonly string[]): StateDict {
  const merged: StateDict = new Map();
  files.forEach((file, i) => {
    const { stateDict } = readStateDict(readFileSync(file), { source: fixture.weights[i], ...(fixture.entry ? { entry: fixture.entry } : {}) });
    for (const [key, value] of stateDict) merged.set(key, value);
  });
  return merged;
}
