import type { Backend } from '@mobilemamba/core';
import {
  WeightBuilder,
  inferStage,
  mobileMambaBlock,
  patchMerging,
  squeezeExcite,
  ss2d,
  waveletMamba,
  type StagePlan,
  type StateDict,
} from '@mobilemamba/models';
import { checkOpOutputs, type HostTensor, type OutputFigures } from '../bounds.js';
import { computeOnBackend, type Computation, type ConformanceCase } from '../case.js';
import type { FixtureCaseMeta, FixtureFile } from '../fixture-file.js';
import { stateDictWithPrefix } from './state-dict.js';

/** Builds a module's weights with `builder` and returns what to compute on `x`. */
type ModulePlan = (builder: WeightBuilder, prefix: string, stateDict: StateDict) => Computation;

/**
 * Runs one module case: loads the case's unfused weights `<case>.w.*`
 * (BatchNorms folded by the backend under test), runs the module on
 * `<case>.x`, and compares `<case>.out` at the per-op bound.
 */
function moduleCase(file: FixtureFile, family: string, meta: FixtureCaseMeta, plan: ModulePlan): ConformanceCase {
  return {
    id: `${family}/${meta.id}`,
    run: async (backend: Backend, context): Promise<OutputFigures[]> => {
      const prefix = `${meta.id}.w`;
      const stateDict = stateDictWithPrefix(file, `${prefix}.`);
      const builder = new WeightBuilder(stateDict, 'unfused', backend);
      try {
        const compute = plan(builder, prefix, stateDict);
        const actual = await computeOnBackend(backend, { x: file.tensor(`${meta.id}.x`) }, compute);
        const expected: Record<string, HostTensor> = { out: file.tensor(`${meta.id}.out`) };
        return checkOpOutputs(actual, expected, context.opRelative);
      } finally {
        builder.dispose();
      }
    },
  };
}

/** Returns the SS2D sizes that a module's own tensors imply. */
function ss2dStage(stateDict: StateDict, prefix: string): StagePlan {
  const shape = (key: string) => stateDict.get(`${prefix}.${key}`)!.shape;
  const [doubleInner, channels] = shape('in_proj.c.weight');
  return {
    dim: channels,
    depth: 1,
    split: { global: channels, local: 0, identity: 0 },
    kernel: 3,
    dInner: doubleInner / 2,
    dtRank: shape('dt_projs_weight')[2],
    dState: shape('A_logs')[1],
  };
}

/** ops/ss2d_v052d.safetensors: the SS2D module (v052d, two directions). */
export function ss2dCases(file: FixtureFile): ConformanceCase[] {
  return file.cases.map((meta) =>
    moduleCase(file, 'ss2d_v052d', meta, (builder, prefix, stateDict) => {
      const weights = builder.ss2d(prefix, ss2dStage(stateDict, prefix));
      return (t) => ({ out: ss2d(t.x, weights) });
    }),
  );
}

/** ops/mbwtconv2d.safetensors: WTE-Mamba, SS2D plus the Haar-domain depthwise conv. */
export function waveletMambaCases(file: FixtureFile): ConformanceCase[] {
  return file.cases.map((meta) =>
    moduleCase(file, 'mbwtconv2d', meta, (builder, prefix, stateDict) => {
      const stage = ss2dStage(stateDict, `${prefix}.global_atten`);
      stage.kernel = stateDict.get(`${prefix}.wavelet_convs.0.weight`)!.shape[2];
      const weights = builder.waveletMamba(prefix, stage);
      return (t) => ({ out: waveletMamba(t.x, weights) });
    }),
  );
}

/** ops/squeeze_excite.safetensors: timm's SEModule with ratio 0.25. */
export function squeezeExciteCases(file: FixtureFile): ConformanceCase[] {
  return file.cases.map((meta) =>
    moduleCase(file, 'squeeze_excite', meta, (builder, prefix) => {
      const [fc1, fc2] = [builder.plainConv(`${prefix}.fc1`), builder.plainConv(`${prefix}.fc2`)];
      return (t) => ({ out: squeezeExcite(t.x, fc1, fc2) });
    }),
  );
}

/** ops/patch_merging.safetensors: the downsampling PatchMerging module. */
export function patchMergingCases(file: FixtureFile): ConformanceCase[] {
  return file.cases.map((meta) =>
    moduleCase(file, 'patch_merging', meta, (builder, prefix) => {
      const weights = builder.patchMerging(prefix);
      return (t) => ({ out: patchMerging(t.x, weights) });
    }),
  );
}

/** ops/mobilemamba_block.safetensors: a whole MobileMambaBlock of type 's'. */
export function blockCases(file: FixtureFile): ConformanceCase[] {
  return file.cases.map((meta) =>
    moduleCase(file, 'mobilemamba_block', meta, (builder, prefix, stateDict) => {
      const shapeOf = (key: string) => {
        const tensor = stateDict.get(key);
        if (!tensor) throw new Error(`mobilemamba_block fixture ${meta.id}: tensor '${key}' not found`);
        return tensor.shape;
      };
      const dim = shapeOf(`${prefix}.dw0.m.c.weight`)[0];
      const weights = builder.block(prefix, inferStage(stateDict, prefix, dim, 1, 'unfused', shapeOf));
      return (t) => ({ out: mobileMambaBlock(t.x, weights) });
    }),
  );
}
