import { InvalidArgumentError, MobileMambaError, getBackend, tensor, tidy, type Backend, type Tensor } from '@mobilemamba/core';
import { VARIANTS, type VariantName } from './architecture/config.js';
import { countMacs } from './architecture/flops.js';
import { samePlan } from './architecture/infer.js';
import { parameterCount, type WeightForm } from './architecture/parameters.js';
import { planFromConfig, type ModelPlan } from './architecture/plan.js';
import { resolveArchitecture, type ModelChoice } from './architecture/resolve.js';
import type { StateDict } from './checkpoint/types.js';
import { INTERMEDIATE_NAMES, runNetwork } from './layers/network.js';
import { WeightBuilder } from './weights/build.js';
import type { ModelWeights } from './weights/types.js';

/** The reference MobileMamba's default img_size, used when nothing else gives one. */
const DEFAULT_IMAGE_SIZE = 224;

/** Largest native input size accepted (pixels per side), well above B4's 512. */
export const MAX_IMAGE_SIZE = 4096;

export type { ModelChoice } from './architecture/resolve.js';

export interface ModelOptions {
  /** Default 'auto'. */
  model?: ModelChoice;
  /** Backend to hold the weights and run on; default the active backend. */
  backend?: Backend;
  /**
   * Native input size when the checkpoint's architecture cannot tell it
   * (B1, B2 and B4 share one architecture). Default: the matched variant's,
   * the checkpoint metadata's, or 224.
   */
  imgSize?: number;
}

/** Description of a loaded model, as `info` reports it. */
export interface ModelDescription {
  /** The variant the user named or the weights match, or null for a custom architecture. */
  variant: VariantName | null;
  /** Every variant with this architecture (B1, B2 and B4 share one). */
  matchingVariants: VariantName[];
  imgSize: number;
  /**
   * Where imgSize came from: the caller's option, the named variant or
   * configuration, the checkpoint's metadata, the matched variant, or the
   * reference's default of 224 when none of these gives one.
   */
  imgSizeSource: 'option' | 'variant' | 'metadata' | 'default';
  form: WeightForm;
  parameters: number;
  /** Multiply-accumulates for one image at imgSize. */
  macs: number;
  plan: ModelPlan;
}

/**
 * MobileMamba for inference on any registered backend. Construct it from a
 * state_dict (see `loadModel` for files); BatchNorms are folded at load.
 * Call `dispose()` to free the weights.
 */
export class MobileMamba {
  readonly backend: Backend;
  readonly description: ModelDescription;
  private weights: ModelWeights | null;

  private constructor(backend: Backend, description: ModelDescription, weights: ModelWeights) {
    this.backend = backend;
    this.description = description;
    this.weights = weights;
  }

  /**
   * Builds a model from a state_dict in the reference's key names, either
   * unfused (Conv+BN pairs, as training saves them) or fused.
   */
  static fromStateDict(stateDict: StateDict, options: ModelOptions = {}, hints: { imgSize?: number } = {}): MobileMamba {
    const backend = options.backend ?? getBackend();
    checkImgSizeOption(options.imgSize, 'MobileMamba.fromStateDict');
    const resolved = resolveArchitecture(stateDict, options.model);
    const { plan, form, imgSize } = resolved;

    const matchingVariants = matchVariants(plan);
    const variant = resolved.variant ?? matchingVariants[0] ?? null;
    const candidates: [number | undefined, ModelDescription['imgSizeSource']][] = [
      [options.imgSize, 'option'],
      [imgSize, 'variant'],
      [hints.imgSize, 'metadata'],
      [variant ? VARIANTS[variant].imgSize : undefined, 'variant'],
      [DEFAULT_IMAGE_SIZE, 'default'],
    ];
    const [resolvedSize, imgSizeSource] = candidates.find(([size]) => size !== undefined) as [number, ModelDescription['imgSizeSource']];

    const weights = new WeightBuilder(stateDict, form, backend).build(plan);
    const description: ModelDescription = {
      variant,
      matchingVariants,
      imgSize: resolvedSize,
      imgSizeSource,
      form,
      parameters: parameterCount(plan),
      macs: countMacs(plan, resolvedSize, resolvedSize),
      plan,
    };
    return new MobileMamba(backend, description, weights);
  }

  get numClasses(): number {
    return this.description.plan.numClasses;
  }

  /** Native input resolution (square). */
  get imgSize(): number {
    return this.description.imgSize;
  }

  /** Runs the network on x [B, 3, H, W] and returns logits [B, classes]. */
  forward(x: Tensor): Tensor {
    const weights = this.liveWeights();
    this.checkInput(x);
    return tidy(() => runNetwork(x, weights, false).logits);
  }

  /**
   * Runs the network and returns the logits with the intermediate outputs
   * (`patch_embed`, `blocks1`..`blocks3`, `pooled` and `sub.blocksS.J`).
   */
  forwardWithIntermediates(x: Tensor): Record<string, Tensor> {
    const weights = this.liveWeights();
    this.checkInput(x);
    return tidy(() => runNetwork(x, weights, true));
  }

  /**
   * Runs host values [B, 3, H, W] and returns the logits on the host,
   * freeing every tensor it made. Rejects non-finite input values.
   */
  async predict(values: Float32Array, shape: readonly [number, number, number, number]): Promise<Float32Array> {
    const bad = values.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      throw new InvalidArgumentError('MobileMamba.predict', 'values', values[bad], `element ${bad} is not finite; the input must be finite`);
    }
    const input = tensor(values, shape, this.backend);
    let logits: Float32Array;
    try {
      const output = this.forward(input);
      try {
        logits = await output.data();
      } finally {
        output.dispose();
      }
    } finally {
      input.dispose();
    }
    checkFiniteLogits(logits, this.numClasses);
    return logits;
  }

  /** Frees the weights on the backend. The model cannot run afterwards. */
  dispose(): void {
    if (!this.weights) return;
    forEachTensor(this.weights, (t) => t.dispose());
    this.weights = null;
  }

  /** Names of the intermediate outputs besides the per-child `sub.*` ones. */
  static readonly intermediateNames = INTERMEDIATE_NAMES;

  private liveWeights(): ModelWeights {
    if (!this.weights) throw new MobileMambaError('MobileMamba: the model was disposed');
    return this.weights;
  }

  private checkInput(x: Tensor): void {
    const op = 'MobileMamba.forward';
    if (x.rank !== 4 || x.shape[1] !== 3) {
      throw new InvalidArgumentError(op, 'x', x, 'expected [B, 3, H, W]');
    }
    if (x.shape[0] < 1 || x.shape[2] < 1 || x.shape[3] < 1) {
      throw new InvalidArgumentError(op, 'x', x, 'expected a non-empty batch and image');
    }
    if (x.backend !== this.backend) {
      throw new InvalidArgumentError(op, 'x', x, `lives on backend ${x.backend.name} but the model's weights are on ${this.backend.name}`);
    }
  }
}

/**
 * Raises an error when the network produced NaN or infinite logits. Finite
 * inputs give those only when the weights are corrupt or far out of range,
 * and reporting them as a class would be a silent wrong result.
 */
export function checkFiniteLogits(logits: Float32Array, numClasses: number): void {
  const bad = logits.findIndex((value) => !Number.isFinite(value));
  if (bad < 0) return;
  const [image, index] = [Math.floor(bad / numClasses), bad % numClasses];
  throw new MobileMambaError(
    `the model produced a non-finite logit (${logits[bad]} for image ${image}, class ${index}); the weights may be corrupt or far out of range`,
  );
}

/** Rejects an imgSize option that is not an integer in [1, MAX_IMAGE_SIZE]; `op` names the caller in the error. */
export function checkImgSizeOption(imgSize: number | undefined, op: string): void {
  if (imgSize !== undefined && !(Number.isInteger(imgSize) && imgSize >= 1 && imgSize <= MAX_IMAGE_SIZE)) {
    throw new InvalidArgumentError(op, 'imgSize', imgSize, `expected an integer in [1, ${MAX_IMAGE_SIZE}]`);
  }
}

/** Variants whose backbone equals the plan's (class count and heads aside). */
function matchVariants(plan: ModelPlan): VariantName[] {
  return (Object.keys(VARIANTS) as VariantName[]).filter((name) => {
    const candidate = planFromConfig({ ...VARIANTS[name], numClasses: plan.numClasses, distillation: plan.distillation });
    return samePlan(candidate, plan);
  });
}

function forEachTensor(value: unknown, visit: (t: Tensor) => void): void {
  if (value === null || typeof value !== 'object') return;
  if ('dispose' in value && 'shape' in value) {
    visit(value as Tensor);
    return;
  }
  for (const child of Object.values(value)) forEachTensor(child, visit);
}
