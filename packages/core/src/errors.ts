/**
 * Base class of every error this library throws on purpose, so callers can
 * tell library failures from bugs with one `instanceof` check.
 */
export class MobileMambaError extends Error {
  override readonly name: string = 'MobileMambaError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Formats a value for an error message without dumping whole arrays. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map(describeValue).join(', ');
    return value.length > 8 ? `[${items}, ... (${value.length} items)]` : `[${items}]`;
  }
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (typeof value === 'object' && 'shape' in value) {
    return `tensor of shape [${(value as { shape: readonly number[] }).shape.join(', ')}]`;
  }
  return Object.prototype.toString.call(value);
}

/**
 * An op received an argument it cannot use: wrong rank, disagreeing shapes,
 * a non-finite hyper-parameter, a tensor from another backend, and so on.
 * Thrown by the op front-ends before any backend code runs.
 */
export class InvalidArgumentError extends MobileMambaError {
  override readonly name = 'InvalidArgumentError';

  constructor(
    readonly op: string,
    readonly argument: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${op}: invalid argument '${argument}' (${describeValue(value)}): ${reason}`);
  }
}

/** The active backend does not implement a kernel that an op needs. */
export class UnsupportedKernelError extends MobileMambaError {
  override readonly name = 'UnsupportedKernelError';

  constructor(
    readonly kernel: string,
    readonly backend: string,
  ) {
    super(`unsupported kernel ${kernel} on backend ${backend}`);
  }
}

/** One backend that could not be used, and why. */
export interface BackendFailure {
  readonly backend: string;
  readonly reason: string;
}

/** A named backend is not registered, or its initialisation failed. */
export class BackendUnavailableError extends MobileMambaError {
  override readonly name = 'BackendUnavailableError';

  constructor(
    readonly backend: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`backend '${backend}' is unavailable: ${reason}`, options);
  }
}

/** Automatic backend choice found no backend whose initialisation succeeded. */
export class NoBackendError extends MobileMambaError {
  override readonly name = 'NoBackendError';

  constructor(readonly failures: readonly BackendFailure[]) {
    const detail = failures.length === 0
      ? 'no backend is registered; import a backend package such as @mobilemamba/backend-reference'
      : failures.map((f) => `${f.backend}: ${f.reason}`).join('; ');
    super(`no backend could be initialised (${detail})`);
  }
}

/** A tensor was used after `dispose()` freed its storage. */
export class DisposedTensorError extends MobileMambaError {
  override readonly name = 'DisposedTensorError';

  constructor(op: string, argument: string) {
    super(`${op}: argument '${argument}' is a disposed tensor`);
  }
}
