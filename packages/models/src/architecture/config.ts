import { MobileMambaError } from '@mobilemamba/core';

/** The constructor arguments of the reference MobileMamba, in its own terms. */
export interface MobileMambaConfig {
  /** Native input resolution in pixels (square). Weights do not record it. */
  imgSize: number;
  /** Channels of stages 1, 2 and 3. */
  embedDims: readonly [number, number, number];
  /** MobileMamba blocks per stage. */
  depths: readonly [number, number, number];
  /** Share of each stage's channels that goes through WTE-Mamba. */
  globalRatios: readonly [number, number, number];
  /** Share of each stage's channels that goes through the k x k depthwise branch. */
  localRatios: readonly [number, number, number];
  /** Depthwise kernel size per stage (local branch and wavelet convs). */
  kernels: readonly [number, number, number];
  /** d_inner = ssmRatio * global channels. */
  ssmRatio: number;
  numClasses: number;
  /** Adds a second head (`head_dist`) whose logits are averaged with the first. */
  distillation: boolean;
}

export type VariantName = 't2' | 't4' | 's6' | 'b1' | 'b2' | 'b4';

const SHARED = {
  globalRatios: [0.8, 0.7, 0.6],
  localRatios: [0.2, 0.2, 0.3],
  kernels: [7, 5, 3],
  ssmRatio: 2,
  numClasses: 1000,
  distillation: false,
} as const;

/**
 * The six configurations of the authors' release (ImageNet-1k). B1, B2 and
 * B4 share one architecture and differ only in their input resolution.
 */
export const VARIANTS: Readonly<Record<VariantName, MobileMambaConfig>> = {
  t2: { ...SHARED, imgSize: 192, embedDims: [144, 272, 368], depths: [1, 2, 2] },
  t4: { ...SHARED, imgSize: 192, embedDims: [176, 368, 448], depths: [1, 2, 2] },
  s6: { ...SHARED, imgSize: 224, embedDims: [192, 384, 448], depths: [1, 2, 2] },
  b1: { ...SHARED, imgSize: 256, embedDims: [200, 376, 448], depths: [2, 3, 2] },
  b2: { ...SHARED, imgSize: 384, embedDims: [200, 376, 448], depths: [2, 3, 2] },
  b4: { ...SHARED, imgSize: 512, embedDims: [200, 376, 448], depths: [2, 3, 2] },
};

export const VARIANT_NAMES = Object.keys(VARIANTS) as VariantName[];

export function isVariantName(value: unknown): value is VariantName {
  return typeof value === 'string' && Object.hasOwn(VARIANTS, value);
}

/** Returns a variant's configuration, raising a clear error for an unknown name. */
export function variantConfig(name: string, overrides: Partial<MobileMambaConfig> = {}): MobileMambaConfig {
  const key = name.toLowerCase();
  if (!isVariantName(key)) {
    throw new MobileMambaError(`unknown MobileMamba variant '${name}' (known: ${VARIANT_NAMES.join(', ')})`);
  }
  return { ...VARIANTS[key], ...overrides };
}

/**
 * Returns the multiple of 16 nearest to n, ties rounding up, as the reference's
 * `nearest_multiple_of_16` computes the global channel count.
 */
export function nearestMultipleOf16(n: number): number {
  const lower = Math.floor(n / 16) * 16;
  return n - lower < lower + 16 - n ? lower : lower + 16;
}

/** Division of a stage's channels between the mixer's three branches. */
export interface ChannelSplit {
  global: number;
  local: number;
  identity: number;
}

/**
 * Splits `dim` channels as the reference does: global = nearest multiple of
 * 16 of int(globalRatio * dim); local = int(localRatio * dim), or the rest
 * when the two would exceed dim; identity takes what is left.
 */
export function splitChannels(dim: number, globalRatio: number, localRatio: number): ChannelSplit {
  // Python's int() truncates the same IEEE double, so 0.7 * 40 = 27.999999999999996 gives 27 in both.
  const global = nearestMultipleOf16(Math.trunc(globalRatio * dim));
  const requestedLocal = Math.trunc(localRatio * dim);
  const local = global + requestedLocal > dim ? dim - global : requestedLocal;
  return { global, local, identity: dim - global - local };
}

/**
 * timm's make_divisible(channels * 0.25, 8) without the round-up rule, as
 * the squeeze-excite module of PatchMerging sizes its bottleneck.
 */
export function squeezeExciteWidth(channels: number): number {
  return Math.max(8, Math.floor(Math.trunc(channels * 0.25 + 4) / 8) * 8);
}
