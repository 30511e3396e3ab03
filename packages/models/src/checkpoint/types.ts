/** A tensor read from a checkpoint, widened to float32 on the host. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** The dtype the file stored, such as 'F32', 'F16', 'BF16', 'I64' or a torch storage name. */
  readonly storedDType: string;
}

/** Parameter and buffer names, as PyTorch's state_dict keys them, to tensors. */
export type StateDict = Map<string, HostTensor>;
