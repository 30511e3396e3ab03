import { afterAll, describe, expect, it } from 'vitest';
import { GpuError } from '../src/errors.js';
import type { ShaderProgram } from '../src/gpu/pipeline-cache.js';
import { GpuRuntime } from '../src/gpu/runtime.js';
import { unaryProgram } from '../src/shaders/unary.js';
import { skipNote, startBackend } from './helpers.js';

const started = await startBackend({ warmUp: false });

/**
 * Creates a runtime on the started backend's device, so the cache starts
 * empty. Its GPU object is a placeholder: the backend's runtime already
 * keeps the real one alive.
 */
function freshRuntime(): GpuRuntime {
  return new GpuRuntime(started.backend!.device!, {} as GPU, { poolBytes: 1 << 20, dispatchesPerSubmit: 64 });
}

const invalidProgram: ShaderProgram = {
  key: 'test/invalid',
  bindings: ['write'],
  source: () => '@compute @workgroup_size(1) fn main() { let x: f32 = undefinedName; }',
};

describe.skipIf(started.unavailable !== null)(`PipelineCache${skipNote(started)}`, () => {
  afterAll(() => started.backend?.destroy());

  it('compiles each key once', async () => {
    const runtime = freshRuntime();
    let generated = 0;
    const program: ShaderProgram = { ...unaryProgram('relu'), source: () => (generated++, unaryProgram('relu').source()) };

    await runtime.pipelines.compile(program);
    await runtime.pipelines.compile(program);
    const first = runtime.pipelines.get(program);
    const second = runtime.pipelines.get(program);

    expect(generated).toBe(1);
    expect(second).toBe(first);
    expect(runtime.pipelines.size).toBe(1);
    expect(runtime.pipelines.compiledOnDemand).toBe(0);
  });

  it('compiles an unknown key on demand', async () => {
    const runtime = freshRuntime();

    runtime.pipelines.get(unaryProgram('silu'));

    expect(runtime.pipelines.has('unary/silu')).toBe(true);
    expect(runtime.pipelines.compiledOnDemand).toBe(1);
    await expect(runtime.sync()).resolves.toBeUndefined();
  });

  it('rejects a compile error with the WGSL message', async () => {
    const runtime = freshRuntime();

    const compiling = runtime.pipelines.compile(invalidProgram);

    await expect(compiling).rejects.toBeInstanceOf(GpuError);
    await expect(runtime.pipelines.compile(invalidProgram)).rejects.toThrow(/test\/invalid.*undefinedName/s);
    expect(runtime.pipelines.has('test/invalid')).toBe(false);
  });

  it('reports a synchronous compile error on the next call', async () => {
    const runtime = freshRuntime();

    runtime.pipelines.get(invalidProgram);

    await expect(runtime.scopes.settle()).rejects.toThrow(/compiling pipeline 'test\/invalid'.*undefinedName/s);
  });
});
