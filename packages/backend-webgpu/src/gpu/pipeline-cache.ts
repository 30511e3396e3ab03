import { ShaderStage } from './flags.js';
import type { ErrorScopes } from './error-scopes.js';

/** How a shader uses one storage buffer binding. */
export type BindingAccess = 'read' | 'write';

/**
 * A compute shader with a fixed interface: binding 0 of group 0 is a
 * uniform buffer of parameters, bindings 1..n are the storage buffers in
 * `bindings` order, and the entry point is `main`.
 */
export interface ShaderProgram {
  /** Cache key; one key always stands for one source. */
  readonly key: string;
  readonly bindings: readonly BindingAccess[];
  /** Generates the WGSL source; called once per key. */
  readonly source: () => string;
}

/** A compiled program, ready to dispatch. */
export interface CompiledProgram {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/**
 * Compiles each program once and keeps the pipeline under its key. Warm-up
 * compiles asynchronously (`compile`), so that a compile error rejects with
 * the WGSL message; a kernel that meets a key nobody compiled yet compiles
 * it synchronously (`get`), and a compile error surfaces on the next call.
 */
export class PipelineCache {
  private readonly compiled = new Map<string, CompiledProgram>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private readonly pipelineLayouts = new Map<string, GPUPipelineLayout>();
  private misses = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly scopes: ErrorScopes,
  ) {}

  /** Number of compiled pipelines. */
  get size(): number {
    return this.compiled.size;
  }

  /** Pipelines compiled because a kernel needed one that warm-up had not compiled. */
  get compiledOnDemand(): number {
    return this.misses;
  }

  has(key: string): boolean {
    return this.compiled.has(key);
  }

  /** Returns the compiled program, compiling it synchronously on first use. */
  get(program: ShaderProgram): CompiledProgram {
    const cached = this.compiled.get(program.key);
    if (cached) return cached;

    this.misses++;
    const layout = this.bindGroupLayout(program.bindings);
    const pipeline = this.scopes.capture(`compiling pipeline '${program.key}'`, () =>
      this.device.createComputePipeline({
        label: program.key,
        layout: this.pipelineLayout(program.bindings),
        compute: { module: this.device.createShaderModule({ label: program.key, code: program.source() }), entryPoint: 'main' },
      }),
    );
    const entry = { pipeline, layout };
    this.compiled.set(program.key, entry);
    return entry;
  }

  /** Compiles the program asynchronously unless it is cached; rejects with the compile error. */
  async compile(program: ShaderProgram): Promise<void> {
    if (this.compiled.has(program.key)) return;

    const layout = this.bindGroupLayout(program.bindings);
    const pipelineLayout = this.pipelineLayout(program.bindings);
    const operation = `compiling pipeline '${program.key}'`;
    const module = await this.scopes.captureAsync(`${operation} (shader module)`, () =>
      this.device.createShaderModule({ label: program.key, code: program.source() }),
    );
    const pipeline = await this.scopes.captureAsync(operation, () =>
      this.device.createComputePipelineAsync({ label: program.key, layout: pipelineLayout, compute: { module, entryPoint: 'main' } }),
    );
    // Another caller may have compiled the same key meanwhile; either pipeline is fine.
    if (!this.compiled.has(program.key)) this.compiled.set(program.key, { pipeline, layout });
  }

  /** One bind group layout per binding signature, such as 'read,read,write'. */
  private bindGroupLayout(bindings: readonly BindingAccess[]): GPUBindGroupLayout {
    const signature = bindings.join(',');
    let layout = this.layouts.get(signature);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: ShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        ...bindings.map((access, index): GPUBindGroupLayoutEntry => ({
          binding: index + 1,
          visibility: ShaderStage.COMPUTE,
          buffer: { type: access === 'read' ? 'read-only-storage' : 'storage' },
        })),
      ];
      layout = this.scopes.capture(`creating bind group layout (${signature})`, () =>
        this.device.createBindGroupLayout({ label: signature, entries }),
      );
      this.layouts.set(signature, layout);
    }
    return layout;
  }

  private pipelineLayout(bindings: readonly BindingAccess[]): GPUPipelineLayout {
    const signature = bindings.join(',');
    let layout = this.pipelineLayouts.get(signature);
    if (!layout) {
      const bindGroupLayout = this.bindGroupLayout(bindings);
      layout = this.scopes.capture(`creating pipeline layout (${signature})`, () =>
        this.device.createPipelineLayout({ label: signature, bindGroupLayouts: [bindGroupLayout] }),
      );
      this.pipelineLayouts.set(signature, layout);
    }
    return layout;
  }
}
