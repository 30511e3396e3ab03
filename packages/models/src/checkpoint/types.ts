/** A tensor read from a checkpoint, widened to float32 on the host. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** The dtype the file stored, such as 'F32', 'F16', 'BF16', 'I64' or a torch storage name. */
  readonly storedDType: string;
}

/** Parameter and buffer names, as PyTorch's state_dict keys them, to tensors. */
export type StateDict = Map<string, HostTensor>;

/** A tensor as a checkpoint's index declares it, before its data is read. */
export interface TensorInfo {
  readonly shape: readonly number[];
  /** The dtype the file stores, as in HostTensor. */
  readonly storedDType: string;
}
