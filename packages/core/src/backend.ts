import type { Shape } from './shape.js';

/** Opaque storage owned by one backend: a typed array, a GPU buffer, a wasm offset. */
export type DataHandle = unknown;

/** Kernel view of a tensor: its shape and its backend's storage. */
export interface KernelTensor {
  readonly shape: Shape;
  readonly handle: DataHandle;
}

/** Bytes and allocations a backend has right now. */
export interface BackendMemory {
  /** Bytes of storage the backend holds for live tensors. */
  readonly bytes: number;
  /** Storage allocations alive on the backend (views share one). */
  readonly allocations: number;
  /** Backend-specific figures, such as pooled GPU buffers or wasm heap size. */
  readonly [extra: string]: number;
}

/** Padding in pixels: top, bottom, left, right. */
export type Padding4 = readonly [number, number, number, number];

export interface Conv2dAttributes {
  /** Vertical and horizontal stride. */
  readonly stride: readonly [number, number];
  readonly padding: Padding4;
  /** Number of channel groups; Cin and Cout are both multiples of it. */
  readonly groups: number;
}

export interface DepthwiseConv2dAttributes {
  readonly stride: readonly [number, number];
  readonly padding: Padding4;
}

export interface SelectiveScanAttributes {
  /** Apply softplus to delta + deltaBias before the recurrence. */
  readonly deltaSoftplus: boolean;
}

export interface HaarAttributes {
  /**
   * The absolute value of every tap of the four 2x2 Haar filters. PyTorch's
   * reference builds them in float32 as 0.70710677 squared, which is
   * 0.49999997 rather than 0.5.
   */
  readonly tap: number;
}

export interface InverseHaarAttributes extends HaarAttributes {
  /** Output height and width after cropping away the analysis padding. */
  readonly outHeight: number;
  readonly outWidth: number;
}

/** BatchNorm parameters in PyTorch's naming. */
export interface BatchNormParameters {
  readonly weight: KernelTensor;
  readonly bias: KernelTensor;
  readonly runningMean: KernelTensor;
  readonly runningVar: KernelTensor;
}

export interface BatchNormFoldAttributes {
  readonly eps: number;
  /**
   * 'after': the BatchNorm follows the layer (Conv+BN, Linear+BN) and scales
   * its output channels. 'before': a BatchNorm1d precedes a linear layer and
   * scales its input features.
   */
  readonly placement: 'after' | 'before';
}

export type UnaryKernelName = 'relu' | 'silu' | 'sigmoid' | 'softplus';
export type BinaryKernelName = 'add' | 'mul';

/**
 * One function per kernel. Inputs are already validated by the op
 * front-ends in core, and output shapes are passed in where the front-end
 * computed them. Every kernel returns new storage and never mutates inputs.
 * Layout is NCHW throughout.
 */
export interface Kernels {
  /** Element-wise a + b with NumPy broadcasting to `outShape`. */
  add(a: KernelTensor, b: KernelTensor, outShape: Shape): DataHandle;
  /** Element-wise a * b with NumPy broadcasting to `outShape`. */
  mul(a: KernelTensor, b: KernelTensor, outShape: Shape): DataHandle;
  relu(x: KernelTensor): DataHandle;
  /** x * sigmoid(x). */
  silu(x: KernelTensor): DataHandle;
  sigmoid(x: KernelTensor): DataHandle;
  /** PyTorch's softplus: log(1 + exp(x)), and x itself above 20. */
  softplus(x: KernelTensor): DataHandle;

  /** LayerNorm over axis 1 of [B, C, ...] at every other position, biased variance. */
  layerNorm(x: KernelTensor, weight: KernelTensor, bias: KernelTensor, eps: number): DataHandle;
  /** Mean over H and W: [B, C, H, W] to [B, C]. */
  globalAvgPool(x: KernelTensor): DataHandle;
  /** x [B, in] times weight [out, in] transposed, plus bias [out]: [B, out]. */
  linear(x: KernelTensor, weight: KernelTensor, bias: KernelTensor | null): DataHandle;

  /** Copies the box starting at `begin` with extent `size` (same rank as x). */
  slice(x: KernelTensor, begin: readonly number[], size: readonly number[]): DataHandle;
  /** Joins tensors that agree on every axis but `axis`. */
  concat(inputs: readonly KernelTensor[], axis: number, outShape: Shape): DataHandle;
  /** Reverses the order of elements along one axis. */
  flip(x: KernelTensor, axis: number): DataHandle;

  /**
   * Grouped 2-D cross-correlation (PyTorch's Conv2d): x [B, Cin, H, W],
   * weight [Cout, Cin/groups, kh, kw], bias [Cout] or null. Zero padding.
   */
  conv2d(
    x: KernelTensor,
    weight: KernelTensor,
    bias: KernelTensor | null,
    attributes: Conv2dAttributes,
    outShape: Shape,
  ): DataHandle;
  /** Depthwise conv: weight [C, 1, kh, kw], one filter per channel. */
  depthwiseConv2d(
    x: KernelTensor,
    weight: KernelTensor,
    bias: KernelTensor | null,
    attributes: DepthwiseConv2dAttributes,
    outShape: Shape,
  ): DataHandle;

  /**
   * Selective scan (Mamba's S6 recurrence) per batch item and channel:
   * d = softplus(delta + deltaBias) when the flag is set, else delta + deltaBias;
   * h_t = exp(d_t * A) * h_{t-1} + d_t * B_t * u_t with h_0 = 0;
   * y_t = sum_n h_t[n] * C_t[n] + D * u_t.
   * u, delta [B, K*D, L]; A [K*D, N]; Bs, Cs [B, K, N, L]; D, deltaBias [K*D].
   */
  selectiveScan(
    u: KernelTensor,
    delta: KernelTensor,
    A: KernelTensor,
    Bs: KernelTensor,
    Cs: KernelTensor,
    D: KernelTensor | null,
    deltaBias: KernelTensor | null,
    attributes: SelectiveScanAttributes,
  ): DataHandle;

  /**
   * One-level 2-D Haar analysis: [B, C, H, W] to [B, 4C, ceil(H/2), ceil(W/2)].
   * Odd sizes are zero-padded at the bottom and right. Channel 4c+k is subband k.
   */
  dwt2d(x: KernelTensor, attributes: HaarAttributes): DataHandle;
  /** Haar synthesis: [B, 4C, h, w] to [B, C, outHeight, outWidth] (2h, 2w cropped). */
  idwt2d(x: KernelTensor, attributes: InverseHaarAttributes): DataHandle;

  /**
   * Folds a BatchNorm into a conv or linear layer's weight [Cout, ...] and
   * optional bias [Cout]; returns the new weight and bias.
   */
  batchNormFold(
    weight: KernelTensor,
    bias: KernelTensor | null,
    batchNorm: BatchNormParameters,
    attributes: BatchNormFoldAttributes,
  ): [DataHandle, DataHandle];
}

export type KernelName = keyof Kernels;

/**
 * A compute backend. It owns the storage of the tensors made on it; core
 * calls `disposeData` exactly once per allocation, when the last tensor
 * viewing it is disposed.
 */
export interface Backend {
  readonly name: string;
  /**
   * Prepares the backend (loads wasm, requests a GPU device). Rejects with a
   * reason when the backend cannot run here; the registry reports it.
   */
  init(): Promise<void>;
  /**
   * A cheap check, without initialising, of whether the backend can run
   * here (a GPU adapter exists, WebAssembly SIMD is supported). The
   * registry relies on `init()` alone; this is for callers that want to
   * list options without starting anything.
   */
  isAvailable?(): Promise<boolean>;
  /** Copies float32 values into new storage. */
  upload(values: Float32Array, shape: Shape): DataHandle;
  /** Copies storage back to the host. */
  download(handle: DataHandle, size: number): Promise<Float32Array>;
  /** Synchronous download, only where the backend can do it without blocking a GPU queue. */
  downloadSync?(handle: DataHandle, size: number): Float32Array;
  /** Frees storage. Called once per allocation. */
  disposeData(handle: DataHandle): void;
  memory(): BackendMemory;
  /** Kernels this backend implements; ops on missing ones raise UnsupportedKernelError. */
  readonly kernels: Partial<Kernels>;
  /** Releases everything the backend holds (devices, workers, memory). */
  destroy?(): void | Promise<void>;
}
