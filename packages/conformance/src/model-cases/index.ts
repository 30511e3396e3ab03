import type { CaseGroup } from '../case.js';
import type { FixtureFamily } from '../cases/index.js';
import type { FixtureOptions } from '../fixtures.js';
import { fixtureGroups } from '../groups.js';
import { modelGroups } from './models.js';
import { blockCases, patchMergingCases, squeezeExciteCases, ss2dCases, waveletMambaCases } from './modules.js';
import { realGroups } from './real.js';

/** Module fixture files, run through the model package's layers. */
export const MODULE_FIXTURE_FAMILIES: readonly FixtureFamily[] = [
  { family: 'ss2d_v052d', path: 'ops/ss2d_v052d.safetensors', build: ss2dCases },
  { family: 'mbwtconv2d', path: 'ops/mbwtconv2d.safetensors', build: waveletMambaCases },
  { family: 'squeeze_excite', path: 'ops/squeeze_excite.safetensors', build: squeezeExciteCases },
  { family: 'patch_merging', path: 'ops/patch_merging.safetensors', build: patchMergingCases },
  { family: 'mobilemamba_block', path: 'ops/mobilemamba_block.safetensors', build: blockCases },
];

/** Returns the module fixtures, the whole-model fixtures and the real digits and photos as case groups. */
export function modelLevelGroups(locator: FixtureOptions): CaseGroup[] {
  return [...fixtureGroups(locator, MODULE_FIXTURE_FAMILIES), ...modelGroups(locator), ...realGroups(locator)];
}
