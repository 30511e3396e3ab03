import { batchNormFoldRandomCases } from './batch-norm-fold.js';
import { conv2dRandomCases } from './conv2d.js';
import { depthwiseConv2dRandomCases } from './depthwise-conv2d.js';
import { elementwiseRandomCases } from './elementwise.js';
import { haarRandomCases } from './haar.js';
import { layoutRandomCases } from './layout.js';
import { normalizationRandomCases } from './normalization.js';
import type { RandomCase } from './random-case.js';
import { selectiveScanRandomCases } from './selective-scan.js';

/** Generated case families, checked against the reference backend. */
export const RANDOM_FAMILIES: readonly { readonly family: string; readonly cases: readonly RandomCase[] }[] = [
  { family: 'random/elementwise', cases: elementwiseRandomCases },
  { family: 'random/normalization', cases: normalizationRandomCases },
  { family: 'random/layout', cases: layoutRandomCases },
  { family: 'random/conv2d', cases: conv2dRandomCases },
  { family: 'random/depthwiseConv2d', cases: depthwiseConv2dRandomCases },
  { family: 'random/selectiveScan', cases: selectiveScanRandomCases },
  { family: 'random/haar', cases: haarRandomCases },
  { family: 'random/batchNormFold', cases: batchNormFoldRandomCases },
];
