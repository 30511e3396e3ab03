import type { CaseGroup } from './case.js';
import { OP_FIXTURE_FAMILIES, type FixtureFamily } from './cases/index.js';
import { FixtureFile } from './fixture-file.js';
import { findFixture, missingFixtureMessage, type FixtureOptions } from './fixtures.js';
import { RANDOM_FAMILIES } from './random-cases/index.js';
import { randomConformanceCase } from './random-cases/random-case.js';

/**
 * Reads every fixture file of `families` now, so that its cases become
 * tests at collection time. A file found in no fixtures folder becomes a
 * group that only carries the skip message.
 */
export function fixtureGroups(locator: FixtureOptions, families: readonly FixtureFamily[] = OP_FIXTURE_FAMILIES): CaseGroup[] {
  return families.map(({ family, path, build }): CaseGroup => {
    const title = `fixture ${path}`;
    const found = findFixture(path, locator);
    if (found === null) return { family, title, missing: missingFixtureMessage(path, locator) };
    return { family, title, cases: build(FixtureFile.read(path, found)) };
  });
}

/** Returns the generated families, whose cases are checked against the reference backend. */
export function randomGroups(): CaseGroup[] {
  return RANDOM_FAMILIES.map(({ family, cases }) => ({
    family,
    title: `${family} against the reference backend`,
    cases: cases.map(randomConformanceCase),
  }));
}
