import type { ConformanceCase } from '../case.js';
import type { FixtureFile } from '../fixture-file.js';
import { conv2dCases } from './conv2d.js';
import { fuseCases } from './fuse.js';
import { selectiveScanCases } from './selective-scan.js';
import { waveletHaarCases } from './wavelet-haar.js';

/** A per-op fixture file and the function that turns it into cases. */
export interface FixtureFamily {
  /** Prefix of the case ids, such as 'conv2d' in 'conv2d/case3/conv2d'. */
  readonly family: string;
  /** Path relative to a fixtures folder. */
  readonly path: string;
  readonly build: (file: FixtureFile) => ConformanceCase[];
}

/** Per-op fixture files the suite runs. */
export const OP_FIXTURE_FAMILIES: readonly FixtureFamily[] = [
  { family: 'selective_scan', path: 'ops/selective_scan.safetensors', build: selectiveScanCases },
  { family: 'wavelet_haar', path: 'ops/wavelet_haar.safetensors', build: waveletHaarCases },
  { family: 'conv2d', path: 'ops/conv2d.safetensors', build: conv2dCases },
  { family: 'fuse', path: 'ops/fuse.safetensors', build: fuseCases },
];
