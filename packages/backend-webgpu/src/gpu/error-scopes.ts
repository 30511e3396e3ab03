import { GpuError, PREFIX } from '../errors.js';

/** The three error filters WebGPU reports through error scopes. */
const FILTERS: readonly GPUErrorFilter[] = ['validation', 'out-of-memory', 'internal'];

/** Turns a GPUError from a scope into an ordinary exception that names the operation. */
export function toGpuError(error: GPUError, operation: string): GpuError {
  const kind = error.constructor?.name && error.constructor.name !== 'Object' ? error.constructor.name : 'GPUError';
  return new GpuError(`${PREFIX}: ${operation} failed with ${kind}: ${error.message.trim()}`);
}

/**
 * Runs GPU object creation inside error scopes and turns what the scopes
 * catch into ordinary exceptions. WebGPU reports these errors
 * asynchronously, so:
 *
 * - `captureAsync` awaits the scopes and rejects with the error;
 * - `capture`, for the synchronous kernels, records the error, and the next
 *   kernel call (`throwIfFailed`) or the next download (`settle`) throws it.
 *
 * Errors that escape every scope arrive through `recordUncaptured`.
 */
export class ErrorScopes {
  private readonly pending = new Set<Promise<void>>();
  private failure: Error | null = null;

  constructor(private readonly device: GPUDevice) {}

  /** Calls `create` inside error scopes; a GPU error surfaces on the next call or download. */
  capture<T>(operation: string, create: () => T): T {
    const popped = this.scoped(create);
    const settled = popped.errors.then(
      (error) => {
        if (error) this.record(toGpuError(error, operation));
      },
      (reason: unknown) => this.record(new GpuError(`${PREFIX}: ${operation}: popErrorScope failed: ${String(reason)}`)),
    );
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
    return popped.value;
  }

  /** Awaits `create` inside error scopes and rejects with the first GPU error they caught. */
  async captureAsync<T>(operation: string, create: () => T | Promise<T>): Promise<T> {
    // The scopes are pushed and popped synchronously around the call, so
    // other code that runs while the result is awaited cannot nest inside them.
    const popped = this.scoped(() => {
      const result = create();
      // Keep a rejection for the await below instead of an unhandled rejection.
      return result instanceof Promise ? result.then((value) => ({ value }), (reason: unknown) => ({ reason })) : Promise.resolve({ value: result });
    });

    const [error, outcome] = await Promise.all([popped.errors, popped.value]);
    if (error) throw toGpuError(error, operation);
    if ('reason' in outcome) {
      const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      throw new GpuError(`${PREFIX}: ${operation} failed: ${reason}`, { cause: outcome.reason });
    }
    return outcome.value as T;
  }

  /**
   * Opens error scopes that stay open across several synchronous calls,
   * such as the dispatches of one command batch, and returns the function
   * that closes them. Other captures may nest inside as long as each is
   * balanced before `close` runs.
   */
  open(operation: () => string): () => void {
    for (const filter of FILTERS) this.device.pushErrorScope(filter);
    return () => {
      const pops = FILTERS.map(() => this.device.popErrorScope());
      const settled = Promise.all(pops).then(
        (caught) => {
          const error = caught.find((candidate) => candidate !== null);
          if (error) this.record(toGpuError(error, operation()));
        },
        (reason: unknown) => this.record(new GpuError(`${PREFIX}: ${operation()}: popErrorScope failed: ${String(reason)}`)),
      );
      this.pending.add(settled);
      void settled.finally(() => this.pending.delete(settled));
    };
  }

  /** Records an error that no scope caught (the device's uncapturederror event). */
  recordUncaptured(error: GPUError): void {
    this.record(toGpuError(error, 'a GPU command outside any error scope'));
  }

  /** Records a failure found elsewhere, such as a rejected submit. */
  record(error: Error): void {
    // Keep the first failure: later ones are usually its consequences.
    this.failure ??= error;
  }

  /** Throws the first recorded failure once, then forgets it. */
  throwIfFailed(): void {
    const failure = this.failure;
    if (failure === null) return;
    this.failure = null;
    throw failure;
  }

  /** Waits until every open capture has settled, then throws the first failure. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    this.throwIfFailed();
  }

  /** Pushes one scope per filter, calls `create`, pops them, and returns the first error caught. */
  private scoped<T>(create: () => T): { value: T; errors: Promise<GPUError | null> } {
    for (const filter of FILTERS) this.device.pushErrorScope(filter);
    let outcome: { value: T } | { thrown: unknown };
    try {
      outcome = { value: create() };
    } catch (thrown) {
      outcome = { thrown };
    }

    // Pop every scope even when `create` threw, so the device's scope stack stays balanced.
    const pops = FILTERS.map(() => this.device.popErrorScope());
    const errors = Promise.all(pops).then((caught) => caught.find((error) => error !== null) ?? null);
    if ('thrown' in outcome) {
      void errors.catch(() => {});
      throw outcome.thrown;
    }
    return { value: outcome.value, errors };
  }
}
