import { describe, expect, it } from 'vitest';
import { missingFixtureMessage } from '../src/fixtures.js';
import { fixtureGroups, randomGroups } from '../src/groups.js';

describe('fixtureGroups', () => {
  it('turns a missing file into a group with the skip message', () => {
    const path = 'ops/no_such_fixture.safetensors';
    const [group] = fixtureGroups({}, [{ family: 'absent', path, build: () => [] }]);

    expect(group).toEqual({ family: 'absent', title: `fixture ${path}`, missing: missingFixtureMessage(path) });
  });

  it('makes a case of every fixture case', () => {
    const counts = Object.fromEntries(fixtureGroups({}).map((group) => [group.family, 'cases' in group ? group.cases.length : 0]));

    // 18 conv2d cases, 15 of them depthwise and so also run through depthwiseConv2d.
    expect(counts).toEqual({ selective_scan: 9, wavelet_haar: 9, conv2d: 18 + 15, fuse: 10 });
  });

  it('gives every case a unique id', () => {
    const ids = [...fixtureGroups({}), ...randomGroups()].flatMap((group) => ('cases' in group ? group.cases.map((c) => c.id) : []));

    expect(new Set(ids).size).toBe(ids.length);
  });
});
