import { describe, expect, it } from 'vitest';
import { MAX_BATCH, parseOptions, UsageError } from '../src/options.js';

describe('parseOptions', () => {
  it('selects backends, models, ops and run counts', () => {
    const config = parseOptions(['--', '--backends', 'cpu,webgl', '--models', 't2', '--ops', 'conv1x1,stem1', '--runs', '5', '--warmup', '2']);

    expect(config.backends).toEqual(['cpu', 'webgl']);
    expect(config.models).toEqual(['t2']);
    expect(config.ops).toEqual(['conv1x1', 'stem1']);
    expect(config.runs).toBe(5);
    expect(config.warmup).toBe(2);
  });

  it('defaults to every backend and T2, S6, B1 at batch 1 and 8', () => {
    const config = parseOptions([]);

    expect(config.backends).toEqual(['cpu', 'reference', 'webgpu', 'webgl']);
    expect(config.models).toEqual(['t2', 's6', 'b1']);
    expect(config.batches).toEqual([1, 8]);
    expect(config.ops).toEqual([]);
    expect(config.runs).toBeUndefined();
  });

  it('writes into the package folder unless --output names one', () => {
    expect(parseOptions([]).outputDir).toMatch(/benchmarks\/$/);
    expect(parseOptions(['--output', '/tmp/bench']).outputDir).toBe('/tmp/bench');
  });

  it('rejects unknown names and invalid counts', () => {
    expect(() => parseOptions(['--backends', 'cuda'])).toThrow(UsageError);
    expect(() => parseOptions(['--runs', '0'])).toThrow(UsageError);
    expect(() => parseOptions(['--max-seconds', '0'])).toThrow(UsageError);
  });

  it('rejects empty lists', () => {
    expect(() => parseOptions(['--backends', ','])).toThrow(/--backends: the list is empty/);
    expect(() => parseOptions(['--ops', ','])).toThrow(/--ops: the list is empty/);
    expect(() => parseOptions(['--batches', ' , '])).toThrow(/--batches: the list is empty/);
  });

  it('accepts decimal counts only', () => {
    expect(() => parseOptions(['--runs', '0x2'])).toThrow(/--runs must be an integer from 1 to/);
    expect(() => parseOptions(['--runs', '1e3'])).toThrow(UsageError);
    expect(parseOptions(['--runs', '12']).runs).toBe(12);
  });

  it('limits the batch size', () => {
    expect(parseOptions(['--batches', `1,${MAX_BATCH}`]).batches).toEqual([1, MAX_BATCH]);
    expect(() => parseOptions(['--batches', String(MAX_BATCH + 1)])).toThrow(`--batches must be an integer from 1 to ${MAX_BATCH}`);
  });
});
