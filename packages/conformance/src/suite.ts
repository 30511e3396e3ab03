import type { Backend } from '@mobilemamba/core';
import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, formatFigures } from './bounds.js';
import type { CaseContext, CaseGroup, ConformanceCase } from './case.js';
import { fixtureGroups, randomGroups } from './groups.js';
import { modelLevelGroups } from './model-cases/index.js';
import { planCase, unknownExclusions, type UnavailableBackend } from './plan.js';

export interface ConformanceOptions {
  /** The backend's name, used in the suite's title. */
  name: string;
  /** Creates the backend under test; the suite calls `init()` on it. */
  createBackend: () => Backend | Promise<Backend>;
  /** A fixtures folder to search before the default ones (see fixtures.ts). */
  fixturesDir?: string;
  /**
   * Bounds for a backend that cannot reach the defaults (see bounds.ts):
   * `opRelative` for per-op, module and stage outputs, `logits` for the
   * whole-model and real-data cases.
   */
  bounds?: { opRelative?: number; logits?: number };
  /** Cases to skip: case id to the reason, with the measured figure. */
  exclude?: Record<string, string>;
}

/** The backend under test once the suite has tried to start it. */
interface Target {
  readonly backend: Backend | null;
  readonly unavailable: UnavailableBackend | null;
  readonly context: CaseContext;
}

/**
 * Defines the whole conformance suite for one backend as vitest `describe`
 * and `it` blocks. Call it at the top level of a test file.
 */
export function describeConformance(options: ConformanceOptions): void {
  describeWithTarget(`${options.name} conformance`, options, (target) => {
    defineGroups([...opGroups(options), ...modelLevelGroups({ fixturesDir: options.fixturesDir })], target, options);
  });
}

/** Defines only the per-op part of the suite: the ops/ fixtures and the random cases. */
export function describeOpConformance(options: ConformanceOptions): void {
  describeWithTarget(`${options.name} op conformance`, options, (target) => defineGroups(opGroups(options), target, options));
}

/**
 * Defines only the model-level part: the module fixtures, the whole-model
 * fixtures, and the trained MNIST model and T2 on real images.
 */
export function describeModelConformance(options: ConformanceOptions): void {
  describeWithTarget(`${options.name} model conformance`, options, (target) => {
    defineGroups(modelLevelGroups({ fixturesDir: options.fixturesDir }), target, options);
  });
}

function opGroups(options: ConformanceOptions): CaseGroup[] {
  return [...fixtureGroups({ fixturesDir: options.fixturesDir }), ...randomGroups()];
}

/**
 * Creates and initialises the backend while vitest collects the tests, so
 * that a failure can put its reason into every test title, then defines the
 * tests and destroys both backends after them.
 */
function describeWithTarget(title: string, options: ConformanceOptions, define: (target: Target) => void): void {
  checkOptions(options);
  describe(title, async () => {
    const target = await startTarget(options);
    define(target);
    afterAll(async () => {
      await target.backend?.destroy?.();
      await target.context.reference.destroy?.();
    });
  });
}

function checkOptions(options: ConformanceOptions): void {
  if (typeof options?.name !== 'string' || options.name.length === 0) {
    throw new TypeError('describeConformance: options.name must be a non-empty string');
  }
  if (typeof options.createBackend !== 'function') {
    throw new TypeError(`describeConformance(${options.name}): options.createBackend must be a function`);
  }
  for (const [key, bound] of Object.entries(options.bounds ?? {})) {
    if (typeof bound !== 'number' || !Number.isFinite(bound) || bound <= 0) {
      throw new TypeError(`describeConformance(${options.name}): bounds.${key} must be a finite number > 0, got ${bound}`);
    }
  }
}

async function startTarget(options: ConformanceOptions): Promise<Target> {
  const context: CaseContext = {
    opRelative: options.bounds?.opRelative ?? DEFAULT_BOUNDS.opRelative,
    logits: options.bounds?.logits ?? DEFAULT_BOUNDS.logits,
    reference: createReferenceBackend(),
  };
  await context.reference.init();

  try {
    const backend = await options.createBackend();
    await backend.init();
    return { backend, unavailable: null, context };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { backend: null, unavailable: { name: options.name, reason }, context };
  }
}

function defineGroups(groups: readonly CaseGroup[], target: Target, options: ConformanceOptions): void {
  const exclude = options.exclude ?? {};

  for (const group of groups) {
    describe(group.title, () => {
      if ('missing' in group) {
        it.skip(`${group.family}: ${group.missing}`, () => {});
        return;
      }
      for (const conformanceCase of group.cases) defineCase(conformanceCase, target, exclude);
    });
  }

  const knownIds = new Set(groups.flatMap((group) => ('cases' in group ? group.cases.map((c) => c.id) : [])));
  const missingFamilies = groups.filter((group) => 'missing' in group).map((group) => group.family);
  const plan = planCase('exclude lists only known cases', target.unavailable, {});
  (plan.mode === 'run' ? it : it.skip)(plan.title, () => {
    expect(unknownExclusions(exclude, knownIds, missingFamilies), 'exclude keys that name no case').toEqual([]);
  });
}

function defineCase(conformanceCase: ConformanceCase, target: Target, exclude: Readonly<Record<string, string>>): void {
  const plan = planCase(conformanceCase.id, target.unavailable, exclude);
  if (plan.mode === 'skip' || target.backend === null) {
    it.skip(plan.title, () => {});
    return;
  }

  const backend = target.backend;
  it(plan.title, async ({ annotate }) => {
    const figures = await conformanceCase.run(backend, target.context);
    await annotate(formatFigures(figures));
  });
}
