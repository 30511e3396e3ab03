import { batchNormFold, MobileMambaError, tensor, type Backend, type Tensor } from '@mobilemamba/core';
import type { WeightForm } from '../architecture/parameters.js';
import type { ModelPlan, StagePlan } from '../architecture/plan.js';
import type { StateDict } from '../checkpoint/types.js';
import { readHaarTap } from './haar.js';
import type {
  BlockWeights,
  DownsampleWeights,
  FfnWeights,
  FoldedConv,
  LocalBranchWeights,
  MixerWeights,
  ModelWeights,
  PatchMergingWeights,
  PreludeWeights,
  Ss2dWeights,
  StageWeights,
  WaveletMambaWeights,
} from './types.js';

/**
 * Uploads a checked state_dict to a backend and folds every BatchNorm
 * into the layer before it (or, for the head, after it) with the backend's
 * batchNormFold kernel. Fused checkpoints are uploaded as they are. The
 * per-module methods take the module's key prefix, so a lone module's
 * state_dict (as in the per-module fixtures) loads the same way.
 */
export class WeightBuilder {
  /** Every tensor that ends up in the model, so a failure can free them all. */
  readonly created: Tensor[] = [];

  constructor(
    private readonly stateDict: StateDict,
    private readonly form: WeightForm,
    private readonly backend: Backend,
  ) {}

  /** Frees every tensor this builder uploaded. */
  dispose(): void {
    this.created.forEach((t) => t.dispose());
    this.created.length = 0;
  }

  build(plan: ModelPlan): ModelWeights {
    try {
      return {
        stem: [0, 2, 4, 6].map((index) => this.convBn(`patch_embed.${index}`)) as ModelWeights['stem'],
        stages: plan.stages.map((stage, index) => this.stage(stage, index)) as ModelWeights['stages'],
        head: this.batchNormLinear('head'),
        headDist: plan.distillation ? this.batchNormLinear('head_dist') : null,
      };
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  private stage(stage: StagePlan, index: number): StageWeights {
    const prefix = `blocks${index + 1}`;
    const downsample: DownsampleWeights | null = index === 0
      ? null
      : { before: this.prelude(`${prefix}.0`), merge: this.patchMerging(`${prefix}.1`), after: this.prelude(`${prefix}.2`) };
    const first = index === 0 ? 0 : 3;

    const blocks: BlockWeights[] = [];
    for (let block = 0; block < stage.depth; block++) blocks.push(this.block(`${prefix}.${first + block}`, stage));
    return { downsample, blocks };
  }

  block(prefix: string, stage: StagePlan): BlockWeights {
    return {
      dw0: this.convBn(`${prefix}.dw0.m`),
      ffn0: this.ffn(`${prefix}.ffn0.m`),
      mixer: this.mixer(`${prefix}.mixer.m.attn`, stage),
      dw1: this.convBn(`${prefix}.dw1.m`),
      ffn1: this.ffn(`${prefix}.ffn1.m`),
    };
  }

  mixer(prefix: string, stage: StagePlan): MixerWeights {
    return {
      split: stage.split,
      global: stage.split.global > 0 ? this.waveletMamba(`${prefix}.global_op`, stage) : null,
      local: stage.split.local > 0 ? this.localBranch(`${prefix}.local_op`) : null,
      proj: this.convBn(`${prefix}.proj.1`),
    };
  }

  waveletMamba(prefix: string, stage: StagePlan): WaveletMambaWeights {
    const analysis = readHaarTap(this.host(`${prefix}.wt_filter`), `${prefix}.wt_filter`);
    const synthesis = readHaarTap(this.host(`${prefix}.iwt_filter`), `${prefix}.iwt_filter`);
    if (analysis !== synthesis) {
      throw new MobileMambaError(`${prefix}: wt_filter tap ${analysis} and iwt_filter tap ${synthesis} differ; only matching Haar pairs are supported`);
    }
    return {
      ss2d: this.ss2d(`${prefix}.global_atten`, stage),
      baseScale: this.raw(`${prefix}.base_scale.weight`),
      waveletConv: this.raw(`${prefix}.wavelet_convs.0.weight`),
      waveletScale: this.raw(`${prefix}.wavelet_scale.0.weight`),
      haarTap: analysis,
    };
  }

  ss2d(prefix: string, stage: StagePlan): Ss2dWeights {
    const { dInner, dtRank, dState } = stage;
    const aLogs = this.host(`${prefix}.A_logs`);
    // The reference computes A = -exp(A_logs) in float32 at every call; here once at load.
    const A = Float32Array.from(aLogs.data, (value) => -Math.exp(value));

    return {
      inProj: this.convBn(`${prefix}.in_proj`),
      conv: { weight: this.raw(`${prefix}.conv2d.weight`), bias: this.raw(`${prefix}.conv2d.bias`) },
      xProj: this.raw(`${prefix}.x_proj_weight`, [2 * (dtRank + 2 * dState), dInner, 1, 1]),
      dtProj: this.raw(`${prefix}.dt_projs_weight`, [2 * dInner, dtRank, 1, 1]),
      A: this.upload(A, aLogs.shape),
      D: this.raw(`${prefix}.Ds`),
      deltaBias: this.raw(`${prefix}.dt_projs_bias`, [2 * dInner]),
      outNorm: { weight: this.raw(`${prefix}.out_norm.weight`), bias: this.raw(`${prefix}.out_norm.bias`) },
      outProj: this.convBn(`${prefix}.out_proj`),
      dInner,
      dtRank,
      dState,
    };
  }

  localBranch(prefix: string): LocalBranchWeights {
    if (this.form === 'fused') {
      return { spatial: this.plainConv(`${prefix}.0`), pointwise: this.plainConv(`${prefix}.2`) };
    }
    return {
      spatial: this.fold(`${prefix}.dwconv3x3.weight`, `${prefix}.bn1`),
      pointwise: this.fold(`${prefix}.dwconv1x1.weight`, `${prefix}.bn2`),
    };
  }

  prelude(prefix: string): PreludeWeights {
    return { dw: this.convBn(`${prefix}.0.m`), ffn: this.ffn(`${prefix}.1.m`) };
  }

  patchMerging(prefix: string): PatchMergingWeights {
    return {
      conv1: this.convBn(`${prefix}.conv1`),
      conv2: this.convBn(`${prefix}.conv2`),
      se: { fc1: this.plainConv(`${prefix}.se.fc1`), fc2: this.plainConv(`${prefix}.se.fc2`) },
      conv3: this.convBn(`${prefix}.conv3`),
    };
  }

  ffn(prefix: string): FfnWeights {
    return { pw1: this.convBn(`${prefix}.pw1`), pw2: this.convBn(`${prefix}.pw2`) };
  }

  /** Loads a Conv2d_BN module: `c` + `bn` when unfused, a conv with bias when fused. */
  convBn(prefix: string): FoldedConv {
    return this.form === 'fused' ? this.plainConv(prefix) : this.fold(`${prefix}.c.weight`, `${prefix}.bn`);
  }

  /** Loads a BN_Linear module: BatchNorm1d `bn` in front of Linear `l`. */
  private batchNormLinear(prefix: string): FoldedConv {
    if (this.form === 'fused') return this.plainConv(prefix);
    const bias = this.stateDict.has(`${prefix}.l.bias`) ? `${prefix}.l.bias` : null;
    return this.fold(`${prefix}.l.weight`, `${prefix}.bn`, bias, 'before');
  }

  plainConv(prefix: string): FoldedConv {
    return { weight: this.raw(`${prefix}.weight`), bias: this.raw(`${prefix}.bias`) };
  }

  private fold(weightKey: string, batchNormPrefix: string, biasKey: string | null = null, placement: 'after' | 'before' = 'after'): FoldedConv {
    // A negative variance has no square root, so folding would fill the layer with NaN.
    const variance = this.host(`${batchNormPrefix}.running_var`);
    const negative = variance.data.findIndex((value) => value < 0);
    if (negative >= 0) {
      throw new MobileMambaError(
        `checkpoint tensor '${batchNormPrefix}.running_var' holds a negative variance (${variance.data[negative]} at element ${negative}); the checkpoint is corrupt`,
      );
    }

    const inputs = {
      weight: this.raw(weightKey, undefined, false),
      bias: biasKey ? this.raw(biasKey, undefined, false) : null,
      batchNorm: {
        weight: this.raw(`${batchNormPrefix}.weight`, undefined, false),
        bias: this.raw(`${batchNormPrefix}.bias`, undefined, false),
        runningMean: this.raw(`${batchNormPrefix}.running_mean`, undefined, false),
        runningVar: this.raw(`${batchNormPrefix}.running_var`, undefined, false),
        eps: 1e-5,
      },
    };
    try {
      const folded = batchNormFold(inputs.weight, inputs.bias, inputs.batchNorm, placement);
      this.created.push(folded.weight, folded.bias);
      return folded;
    } finally {
      inputs.weight.dispose();
      inputs.bias?.dispose();
      for (const key of ['weight', 'bias', 'runningMean', 'runningVar'] as const) inputs.batchNorm[key].dispose();
    }
  }

  private host(key: string) {
    const stored = this.stateDict.get(key);
    if (!stored) throw new MobileMambaError(`checkpoint tensor '${key}' is missing`);
    return stored;
  }

  /** Uploads a checkpoint tensor, optionally viewed with another shape of the same size. */
  private raw(key: string, shape?: readonly number[], keep = true): Tensor {
    const stored = this.host(key);
    const uploaded = tensor(stored.data, shape ?? stored.shape, this.backend);
    if (keep) this.created.push(uploaded);
    return uploaded;
  }

  private upload(data: Float32Array, shape: readonly number[]): Tensor {
    const uploaded = tensor(data, shape, this.backend);
    this.created.push(uploaded);
    return uploaded;
  }
}
