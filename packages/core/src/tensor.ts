import type { Backend, DataHandle, KernelTensor } from './backend.js';
import { DisposedTensorError, InvalidArgumentError, MobileMambaError } from './errors.js';
import { formatShape, sizeOf, type Shape } from './shape.js';
import { trackTensor, untrackTensor } from './scope.js';

export type DType = 'float32';

/**
 * One backend allocation, shared by a tensor and its reshaped views; freed
 * on the backend when the last of them is disposed.
 */
export class Storage {
  private references = 0;

  constructor(
    readonly backend: Backend,
    readonly handle: DataHandle,
  ) {}

  retain(): void {
    this.references++;
  }

  release(): void {
    this.references--;
    if (this.references === 0) this.backend.disposeData(this.handle);
  }
}

let liveTensors = 0;

/** Number of tensors created and not yet disposed, on every backend. */
export function liveTensorCount(): number {
  return liveTensors;
}

/**
 * An immutable n-dimensional float32 array whose storage lives on one
 * backend. Ops never change a tensor; `dispose()` frees it, and `tidy()`
 * disposes the ones a function creates and does not return.
 */
export class Tensor implements KernelTensor {
  readonly dtype: DType = 'float32';
  readonly shape: Shape;
  readonly size: number;
  private storage: Storage | null;

  /** @internal Use `tensor()` or an op to create tensors. */
  constructor(storage: Storage, shape: Shape) {
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    storage.retain();
    liveTensors++;
    trackTensor(this);
  }

  get isDisposed(): boolean {
    return this.storage === null;
  }

  /** The backend that owns this tensor's storage. */
  get backend(): Backend {
    return this.liveStorage('backend').backend;
  }

  /** The backend's storage handle; kernels read it. */
  get handle(): DataHandle {
    return this.liveStorage('handle').handle;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Copies the values to the host. */
  async data(): Promise<Float32Array> {
    const storage = this.liveStorage('data');
    return storage.backend.download(storage.handle, this.size);
  }

  /** Synchronous copy to the host; throws where the backend cannot read back synchronously. */
  dataSync(): Float32Array {
    const storage = this.liveStorage('dataSync');
    if (!storage.backend.downloadSync) {
      throw new MobileMambaError(
        `dataSync: backend ${storage.backend.name} cannot read back synchronously; use await tensor.data()`,
      );
    }
    return storage.backend.downloadSync(storage.handle, this.size);
  }

  /** Returns a view with another shape of the same size, sharing storage. */
  reshape(shape: Shape): Tensor {
    const storage = this.liveStorage('reshape');
    const resolved = resolveReshape(this.shape, shape);
    return new Tensor(storage, resolved);
  }

  /** Frees this tensor's reference to its storage. Calling it twice is harmless. */
  dispose(): void {
    if (this.storage === null) return;
    this.storage.release();
    this.storage = null;
    liveTensors--;
    untrackTensor(this);
  }

  toString(): string {
    return `Tensor(${formatShape(this.shape)}, ${this.dtype}${this.isDisposed ? ', disposed' : ''})`;
  }

  /** @internal */
  liveStorage(op: string): Storage {
    if (this.storage === null) throw new DisposedTensorError(op, 'this');
    return this.storage;
  }
}

/** Resolves a reshape target, allowing one -1 axis. */
function resolveReshape(from: Shape, to: Shape): number[] {
  const size = sizeOf(from);
  const unknown = to.filter((dim) => dim === -1).length;
  const invalid = to.some((dim) => !Number.isInteger(dim) || dim < -1);
  if (!Array.isArray(to) || unknown > 1 || invalid) {
    throw new InvalidArgumentError('reshape', 'shape', to, 'expected non-negative integers with at most one -1');
  }

  const known = to.reduce((product, dim) => (dim === -1 ? product : product * dim), 1);
  const inferred = known === 0 ? 0 : size / known;
  const resolved = to.map((dim) => (dim === -1 ? inferred : dim));
  if (sizeOf(resolved) !== size || resolved.some((dim) => !Number.isInteger(dim))) {
    throw new InvalidArgumentError('reshape', 'shape', to, `cannot view a tensor of shape ${formatShape(from)} (${size} elements) with it`);
  }
  return resolved;
}
