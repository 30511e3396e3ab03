import { describe, expect, it } from 'vitest';
import { planCase, unknownExclusions } from '../src/plan.js';

describe('planCase', () => {
  it('runs a case by default', () => {
    expect(planCase('conv2d/case0/conv2d', null, {})).toEqual({ mode: 'run', title: 'conv2d/case0/conv2d' });
  });

  it('skips every case with the backend failure in the title', () => {
    const plan = planCase('conv2d/case0/conv2d', { name: 'webgpu', reason: 'no adapter found' }, {});

    expect(plan.mode).toBe('skip');
    expect(plan.title).toBe('conv2d/case0/conv2d [skipped: backend webgpu is unavailable: no adapter found]');
  });

  it('skips an excluded case with its reason', () => {
    const plan = planCase('fuse/case1', null, { 'fuse/case1': 'max error 2e-4 relative' });

    expect(plan).toEqual({ mode: 'skip', title: 'fuse/case1 [excluded: max error 2e-4 relative]' });
  });

  it('reports an unavailable backend before an exclusion', () => {
    const plan = planCase('fuse/case1', { name: 'webgl', reason: 'no context' }, { 'fuse/case1': 'reason' });

    expect(plan.title).toContain('unavailable: no context');
  });
});

describe('unknownExclusions', () => {
  it('lists keys that name no case', () => {
    const known = new Set(['fuse/case1']);

    expect(unknownExclusions({ 'fuse/case1': 'a', 'fuse/case99': 'b' }, known, [])).toEqual(['fuse/case99']);
  });

  it('accepts keys under a family whose fixture file is missing', () => {
    expect(unknownExclusions({ 'conv2d/case3/conv2d': 'a' }, new Set(), ['conv2d'])).toEqual([]);
  });
});
