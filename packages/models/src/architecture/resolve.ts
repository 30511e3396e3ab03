import { VARIANTS, isVariantName, variantConfig, type MobileMambaConfig, type VariantName } from './config.js';
import { checkAgainstListing, detectWeightForm, inferPlan, type TensorShapes } from './infer.js';
import { expectedShapes, type WeightForm } from './parameters.js';
import { planFromConfig, type ModelPlan } from './plan.js';

/** 'auto' infers the architecture from the weights; a name or a configuration is checked against them. */
export type ModelChoice = 'auto' | VariantName | MobileMambaConfig;

/** The architecture a set of tensors builds, checked against their names and shapes. */
export interface ResolvedArchitecture {
  readonly plan: ModelPlan;
  readonly form: WeightForm;
  /** The variant the caller named, or null when the choice was 'auto' or a configuration. */
  readonly variant: VariantName | null;
  /** The input size of the named variant or configuration; undefined for 'auto'. */
  readonly imgSize: number | undefined;
}

/**
 * Resolves `choice` into a plan and checks every tensor name and shape
 * against it. It needs only names and shapes, so loadModel runs it on a
 * checkpoint's listing before reading any tensor data. Raises
 * MobileMambaError when the tensors are not a MobileMamba state_dict, and
 * ArchitectureMismatchError when they do not match the plan.
 */
export function resolveArchitecture(tensors: TensorShapes, choice: ModelChoice = 'auto'): ResolvedArchitecture {
  const form = detectWeightForm(tensors);

  let plan: ModelPlan;
  let variant: VariantName | null = null;
  let described: string;
  let imgSize: number | undefined;
  if (choice === 'auto') {
    plan = inferPlan(tensors, form);
    described = 'the architecture inferred from its own tensor names';
  } else if (typeof choice === 'string') {
    const name = choice.toLowerCase();
    if (!isVariantName(name)) variantConfig(name);
    variant = name as VariantName;
    // The class count and the distillation head belong to the training run, not the variant.
    const inferred = inferHeadOnly(tensors, form);
    plan = planFromConfig(variantConfig(variant, inferred));
    imgSize = VARIANTS[variant].imgSize;
    described = `MobileMamba ${variant.toUpperCase()}`;
  } else {
    plan = planFromConfig(choice);
    imgSize = choice.imgSize;
    described = 'the given configuration';
  }
  checkAgainstListing(tensors, expectedShapes(plan, form), `${described} (${form} weights)`);
  return { plan, form, variant, imgSize };
}

/** Reads the class count and distillation head from a checkpoint's head tensors. */
function inferHeadOnly(tensors: TensorShapes, form: WeightForm): Partial<MobileMambaConfig> {
  const head = tensors.get(form === 'fused' ? 'head.weight' : 'head.l.weight');
  const distillation = [...tensors.keys()].some((key) => key.startsWith('head_dist.'));
  return head ? { numClasses: head.shape[0], distillation } : { distillation };
}
