import { describe, expect, it } from 'vitest';
import { machineId } from '../src/machine.js';

describe('machineId', () => {
  it.each([
    ['Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz', 2, 'xeon-platinum-8375c-2c'],
    ['Intel(R) Xeon(R) Processor', 2, 'xeon-2c'],
    ['Intel(R) Core(TM) i7-10700K CPU @ 3.80GHz', 16, 'core-i7-10700k-16c'],
    ['AMD Ryzen 9 7950X 16-Core Processor', 32, 'ryzen-9-7950x-32c'],
    ['AMD Ryzen 7 5800H with Radeon Graphics', 16, 'ryzen-7-5800h-16c'],
    ['Apple M2 Pro', 12, 'apple-m2-pro-12c'],
    ['', 4, 'unknown-cpu-4c'],
  ])('names %j with %i cores', (cpu, cores, expected) => {
    expect(machineId(cpu, cores)).toBe(expected);
  });

  it('keeps only filesystem-safe characters', () => {
    const id = machineId('Weird/CPU: "model" \\ <v2> * ?', 8);

    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(id).toBe('weird-model-v2-8c');
  });

  it('limits the length of long names', () => {
    const id = machineId('Vendor Extremely Long Model Name With Many Words That Goes On And On', 4);

    expect(id.length).toBeLessThanOrEqual(43);
    expect(id.endsWith('-4c')).toBe(true);
  });

  it('returns the same id for the same machine', () => {
    expect(machineId('Intel(R) Xeon(R) Processor', 2)).toBe(machineId('Intel(R) Xeon(R) Processor', 2));
  });
});
