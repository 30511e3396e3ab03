import { MobileMambaError, type KernelTensor } from '@mobilemamba/core';
import { GpuDeviceLostError, GpuError, GpuLimitError, PREFIX } from '../errors.js';
import { BufferPool } from './buffer-pool.js';
import { ErrorScopes } from './error-scopes.js';
import { MapMode, STAGING_USAGE, TENSOR_USAGE } from './flags.js';
import { effectiveLimits, type EffectiveLimits } from './limits.js';
import { PipelineCache, type ShaderProgram } from './pipeline-cache.js';
import { GpuStorage } from './storage.js';
import { UniformCache, type Params } from './uniforms.js';

/** Settings of one runtime, from the backend's options. */
export interface RuntimeOptions {
  /** Bytes of freed buffers kept for reuse. */
  readonly poolBytes: number;
  /** Caps the storage binding size below the device's limit. */
  readonly maxStorageBufferBindingSize?: number;
  /** Dispatches recorded before the batch is submitted without waiting for a download. */
  readonly dispatchesPerSubmit: number;
}

/** Workgroup counts of one dispatch. */
export type Workgroups = readonly [number, number, number];

/** Numbers the backend's memory() reports. */
export interface RuntimeMemory {
  readonly bytes: number;
  readonly allocations: number;
  readonly pooledBuffers: number;
  readonly pooledBytes: number;
  readonly buffersCreated: number;
  readonly buffersReused: number;
  readonly pipelines: number;
  readonly uniformBuffers: number;
}

/**
 * Everything one GPU device needs to run kernels: buffer and pipeline
 * caches, error scopes, and a command encoder that collects dispatches until
 * a download, an upload or `dispatchesPerSubmit` dispatches submit them.
 * One runtime lives as long as its device; init() after a device loss makes
 * a new one.
 */
export class GpuRuntime {
  readonly limits: EffectiveLimits;
  readonly scopes: ErrorScopes;
  readonly pipelines: PipelineCache;
  private readonly pool: BufferPool;
  private readonly uniforms: UniformCache;

  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private closeBatchScope: (() => void) | null = null;
  private batchOps: string[] = [];

  private liveBytes = 0;
  private liveAllocations = 0;
  private lostInfo: { reason: string; message: string } | null = null;
  private destroyed = false;

  constructor(
    readonly device: GPUDevice,
    /**
     * The GPU object the device came from. Every tensor handle references
     * its runtime, so this keeps the object (Dawn's instance, in Node) alive
     * for as long as anything can still reach the device.
     */
    readonly gpu: GPU,
    private readonly options: RuntimeOptions,
  ) {
    this.limits = effectiveLimits(device, options.maxStorageBufferBindingSize);
    this.scopes = new ErrorScopes(device);
    this.pipelines = new PipelineCache(device, this.scopes);
    this.pool = new BufferPool((size, usage) => this.createBuffer(size, usage, false), options.poolBytes);
    this.uniforms = new UniformCache((size, usage) => this.createBuffer(size, usage, true));

    device.addEventListener('uncapturederror', (event) => this.scopes.recordUncaptured((event as GPUUncapturedErrorEvent).error));
    void device.lost.then((info) => {
      this.lostInfo = { reason: String(info.reason), message: info.message };
    });
  }

  /** True once the device was lost or destroyed. */
  get isLost(): boolean {
    return this.lostInfo !== null || this.destroyed;
  }

  /**
   * Throws when the device is gone, or when earlier GPU work failed (the
   * error scopes report asynchronously, so a failure surfaces on the call
   * after it).
   */
  checkUsable(op: string): void {
    if (this.destroyed) {
      throw new MobileMambaError(`${PREFIX}: ${op}: the backend was destroyed; call init() to create a new device`);
    }
    if (this.lostInfo) {
      throw new GpuDeviceLostError(
        `${PREFIX}: ${op}: the GPU device was lost (${this.lostInfo.reason}: ${this.lostInfo.message.trim() || 'no message'}); call init() to create a new device, then create the tensors again`,
      );
    }
    this.scopes.throwIfFailed();
  }

  /** Returns the GPU storage behind a kernel input, checking that it is live and from this device. */
  storageOf(tensor: KernelTensor, op: string, argument: string): GpuStorage {
    const handle = tensor.handle;
    if (!(handle instanceof GpuStorage)) {
      throw new MobileMambaError(`${PREFIX}: ${op}: argument '${argument}' is not webgpu storage; create every input tensor on this backend`);
    }
    if (handle.owner !== this) {
      throw new MobileMambaError(
        `${PREFIX}: ${op}: argument '${argument}' lives on a GPU device that was lost or destroyed, or on another webgpu backend; create it again on this one`,
      );
    }
    if (handle.disposed) throw new MobileMambaError(`${PREFIX}: ${op}: argument '${argument}' was already disposed`);
    return handle;
  }

  /** Allocates storage for `elements` float32 values, checking the buffer and binding limits. */
  allocate(elements: number, op: string): GpuStorage {
    const byteLength = elements * 4;
    this.checkBindingSize(byteLength, op);
    const pooled = this.pool.acquire(byteLength, TENSOR_USAGE);
    this.liveBytes += pooled.capacity;
    this.liveAllocations++;
    return new GpuStorage(this, pooled, byteLength);
  }

  /** Frees storage; the buffer goes back to the pool if it belongs to this live device. */
  release(storage: GpuStorage): void {
    if (storage.disposed) throw new MobileMambaError(`${PREFIX}: disposeData: the storage was already disposed`);
    storage.disposed = true;
    if (storage.owner !== this) return;
    this.liveBytes -= storage.pooled.capacity;
    this.liveAllocations--;
    if (!this.isLost) this.pool.release(storage.pooled);
  }

  /** Copies host values into new storage. */
  upload(values: Float32Array): GpuStorage {
    this.checkUsable('upload');
    const storage = this.allocate(values.length, 'upload');
    if (values.length === 0) return storage;

    // writeBuffer runs on the queue before commands still in the encoder, so
    // submit those first: the pooled buffer may be an input of one of them.
    this.flush();
    this.scopes.capture(`upload of ${values.byteLength} bytes`, () =>
      this.device.queue.writeBuffer(storage.buffer, 0, values.buffer, values.byteOffset, values.byteLength),
    );
    return storage;
  }

  /** Copies the first `elements` values of a storage to the host through a mapped staging buffer. */
  async download(storage: GpuStorage, elements: number): Promise<Float32Array> {
    this.checkUsable('download');
    const byteLength = elements * 4;
    if (byteLength > storage.byteLength) {
      throw new MobileMambaError(`${PREFIX}: download of ${elements} values is invalid: the storage contains only ${storage.byteLength / 4}`);
    }
    if (elements === 0) {
      await this.scopes.settle();
      return new Float32Array(0);
    }

    const staging = this.pool.acquire(byteLength, STAGING_USAGE);
    this.recordCopy(storage.buffer, staging.buffer, byteLength);
    this.flush();
    try {
      await staging.buffer.mapAsync(MapMode.READ, 0, byteLength);
    } catch (reason) {
      // A lost device rejects mapAsync. Give device.lost a moment to resolve, so that the error names the loss.
      await Promise.race([this.device.lost, new Promise((resolve) => setTimeout(resolve, 50))]);
      this.checkUsable('download');
      const detail = reason instanceof Error ? reason.message : String(reason);
      throw new GpuError(`${PREFIX}: download: mapAsync of ${byteLength} bytes failed: ${detail}`, { cause: reason });
    }

    const values = new Float32Array(staging.buffer.getMappedRange(0, byteLength).slice(0));
    staging.buffer.unmap();
    this.pool.release(staging);
    await this.scopes.settle();
    return values;
  }

  /**
   * Records one dispatch of `program` with `buffers` bound at 1..n in order
   * and `params` at binding 0.
   */
  dispatch(op: string, program: ShaderProgram, buffers: readonly GpuStorage[], params: Params, workgroups: Workgroups): void {
    this.checkWorkgroups(op, workgroups);
    const compiled = this.pipelines.get(program);
    const uniform = this.uniforms.bufferFor(params.toWords());

    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: uniform } },
      ...buffers.map((storage, index) => ({ binding: index + 1, resource: { buffer: storage.buffer, offset: 0, size: storage.bindingSize } })),
    ];
    const bindGroup = this.device.createBindGroup({ layout: compiled.layout, entries });

    const pass = this.computePass();
    pass.setPipeline(compiled.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
    this.batchOps.push(op);
    if (this.batchOps.length >= this.options.dispatchesPerSubmit) this.flush();
  }

  /** Submits the recorded commands, if any. */
  flush(): void {
    if (this.encoder === null) return;
    this.pass?.end();
    this.pass = null;
    const commands = this.encoder.finish();
    this.encoder = null;
    this.device.queue.submit([commands]);
    this.closeBatchScope?.();
    this.closeBatchScope = null;
    this.batchOps = [];

    // Buffers evicted from the caches may be used by the commands just submitted; destroying them now is safe.
    this.pool.collect();
    this.uniforms.collect();
  }

  /** Waits for every submitted command and reports the GPU errors they caused. */
  async sync(): Promise<void> {
    this.checkUsable('sync');
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.scopes.settle();
  }

  memory(): RuntimeMemory {
    const pool = this.pool.statistics();
    return {
      bytes: this.liveBytes,
      allocations: this.liveAllocations,
      pooledBuffers: pool.freeBuffers,
      pooledBytes: pool.freeBytes,
      buffersCreated: pool.created,
      buffersReused: pool.reused,
      pipelines: this.pipelines.size,
      uniformBuffers: this.uniforms.size,
    };
  }

  /** Frees the cached buffers and destroys the device. Live tensors become unusable. */
  destroy(): void {
    if (this.destroyed) return;
    if (!this.isLost) this.flush();
    this.destroyed = true;
    this.pool.clear();
    this.uniforms.clear();
    this.device.destroy();
  }

  private checkBindingSize(byteLength: number, op: string): void {
    const { maxStorageBufferBindingSize, maxBufferSize } = this.limits;
    if (byteLength > maxBufferSize) {
      throw new GpuLimitError(
        'maxBufferSize',
        byteLength,
        maxBufferSize,
        `${PREFIX}: ${op}: a tensor of ${byteLength} bytes exceeds the device's maxBufferSize of ${maxBufferSize} bytes; use a smaller batch`,
      );
    }
    if (byteLength > maxStorageBufferBindingSize) {
      throw new GpuLimitError(
        'maxStorageBufferBindingSize',
        byteLength,
        maxStorageBufferBindingSize,
        `${PREFIX}: ${op}: a tensor of ${byteLength} bytes exceeds maxStorageBufferBindingSize (${maxStorageBufferBindingSize} bytes), and kernels bind each tensor whole; use a smaller batch`,
      );
    }
  }

  private checkWorkgroups(op: string, workgroups: Workgroups): void {
    const limit = this.limits.maxComputeWorkgroupsPerDimension;
    const largest = Math.max(...workgroups);
    if (largest > limit) {
      throw new GpuLimitError(
        'maxComputeWorkgroupsPerDimension',
        largest,
        limit,
        `${PREFIX}: ${op}: the dispatch needs ${largest} workgroups along one dimension, above maxComputeWorkgroupsPerDimension (${limit}); use a smaller batch or image`,
      );
    }
  }

  private createBuffer(size: number, usage: number, mappedAtCreation: boolean): GPUBuffer {
    return this.scopes.capture(`creating a buffer of ${size} bytes`, () => this.device.createBuffer({ size, usage, mappedAtCreation }));
  }

  private commandEncoder(): GPUCommandEncoder {
    if (this.encoder === null) {
      // One set of scopes per batch, closed after submit, catches binding and encoding errors of its dispatches.
      const ops = this.batchOps;
      this.closeBatchScope = this.scopes.open(() => `running kernels (${summarise(ops)})`);
      this.encoder = this.device.createCommandEncoder();
    }
    return this.encoder;
  }

  private computePass(): GPUComputePassEncoder {
    if (this.pass === null) this.pass = this.commandEncoder().beginComputePass();
    return this.pass;
  }

  private recordCopy(source: GPUBuffer, destination: GPUBuffer, byteLength: number): void {
    const encoder = this.commandEncoder();
    this.pass?.end();
    this.pass = null;
    encoder.copyBufferToBuffer(source, 0, destination, 0, byteLength);
  }
}

/** Lists the distinct kernel names of a batch, for error messages. */
function summarise(ops: readonly string[]): string {
  const distinct = [...new Set(ops)];
  return distinct.length === 0 ? 'copies only' : distinct.join(', ');
}
