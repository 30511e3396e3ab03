import type { StateDict } from '@mobilemamba/models';
import type { FixtureFile } from '../fixture-file.js';

/**
 * Collects the tensors of a fixture file whose names start with `prefix`
 * (such as 'case2.w.') into a state_dict keyed by the full name, so model
 * code can read a lone module's weights under that prefix.
 */
export function stateDictWithPrefix(file: FixtureFile, prefix: string): StateDict {
  const stateDict: StateDict = new Map();
  for (const name of file.names()) {
    if (!name.startsWith(prefix)) continue;
    const { shape, values } = file.tensor(name);
    stateDict.set(name, { shape, data: values, storedDType: 'F32' });
  }
  return stateDict;
}
