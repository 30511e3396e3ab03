export { describeConformance, describeModelConformance, describeOpConformance, type ConformanceOptions } from './suite.js';
export {
  DEFAULT_BOUNDS,
  ConformanceMismatchError,
  checkOpOutput,
  checkOpOutputs,
  formatFigures,
  logitsBound,
  measureError,
  opBound,
  type ErrorFigures,
  type HostTensor,
  type OutputFigures,
} from './bounds.js';
export { computeOnBackend, type CaseContext, type CaseGroup, type Computation, type ConformanceCase } from './case.js';
export { FixtureFile, metaBoolean, metaNumber, metaString, type FixtureCaseMeta } from './fixture-file.js';
export { FIXTURES_ENV, findFixture, fixtureRoots, missingFixtureMessage, type FixtureOptions } from './fixtures.js';
export { Random, normalTensor, randomTensor, seedFromString, uniformTensor } from './random.js';
