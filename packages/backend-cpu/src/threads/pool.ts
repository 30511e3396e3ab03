import {
  ARGUMENT_COUNT,
  ARGUMENTS_BYTE_OFFSET,
  CHUNK_BITS,
  CHUNK_MASK,
  CHUNKS,
  DONE,
  EPOCH,
  FAILED,
  KERNEL,
  MAX_ARGUMENTS,
  NEXT,
  SEQUENCE_MASK,
  STOP,
  UNITS,
  chunkStart,
} from './control-block.js';
import { WORKER_SOURCE, type WorkerStartMessage } from './worker-source.js';

/** The part of a Node Worker or a browser Worker that the pool uses. */
interface WorkerHandle {
  postMessage(message: unknown): void;
  terminate(): unknown;
  /** Node only: let the process exit while this worker runs. */
  unref?(): void;
}

/**
 * Microseconds a thread polls the control block before it sleeps in
 * Atomics.wait. Waking a sleeping thread takes tens of microseconds, and
 * the parallel kernels of one forward pass are usually less than this
 * apart, so workers stay awake through a whole pass and sleep soon after
 * it. A sleeping or descheduled worker does not hold up a job: the other
 * threads claim its chunks.
 */
const SPIN_MICROSECONDS = 300;

/** How long the main thread waits for the workers of one job before it gives up. */
const JOB_TIMEOUT_MS = 120_000;

/**
 * Worker threads that run chunks of a kernel call on one shared
 * WebAssembly.Memory. The calling (main) thread claims chunks too, then
 * blocks in Atomics.wait until the chunks the workers claimed are done, so a
 * kernel call stays synchronous.
 */
export class WorkerPool {
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private destroyed = false;

  private constructor(
    private readonly workers: readonly WorkerHandle[],
    memory: WebAssembly.Memory,
    controlOffset: number,
  ) {
    this.control = new Int32Array(memory.buffer, controlOffset, ARGUMENTS_BYTE_OFFSET / 4);
    this.args = new Float64Array(memory.buffer, controlOffset + ARGUMENTS_BYTE_OFFSET, MAX_ARGUMENTS);
  }

  /**
   * Starts `count` workers on the module and shared memory, and resolves
   * once each has instantiated the module. `controlOffset` is a zeroed
   * 256-byte block of the memory that the pool owns from now on.
   */
  static async start(
    count: number,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    controlOffset: number,
    kernels: readonly string[],
  ): Promise<WorkerPool> {
    const spawn = await workerFactory();
    const workers: WorkerHandle[] = [];
    try {
      const ready = [];
      for (let index = 1; index <= count; index++) {
        const message: WorkerStartMessage = {
          module,
          memory,
          control: controlOffset,
          index,
          kernels,
          layout: {
            epoch: EPOCH,
            next: NEXT,
            done: DONE,
            kernel: KERNEL,
            argumentCount: ARGUMENT_COUNT,
            units: UNITS,
            chunks: CHUNKS,
            stop: STOP,
            failed: FAILED,
            argumentsByteOffset: ARGUMENTS_BYTE_OFFSET,
            maxArguments: MAX_ARGUMENTS,
            chunkBits: CHUNK_BITS,
            chunkMask: CHUNK_MASK,
            sequenceMask: SEQUENCE_MASK,
          },
          spinMicroseconds: SPIN_MICROSECONDS,
        };
        const { worker, started } = spawn(message);
        workers.push(worker);
        ready.push(started);
      }
      await Promise.all(ready);
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }

    // A worker loops in Atomics.wait forever; unref lets Node exit even if destroy() is never called.
    for (const worker of workers) worker.unref?.();
    return new WorkerPool(workers, memory, controlOffset);
  }

  /** Number of threads a job can use: the workers plus the calling thread. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Runs `kernel` over `units` work units split into `chunks` contiguous
   * chunks. This thread and the workers claim the chunks one at a time, and
   * the call returns when all are done. `ownKernel` is the kernel of this
   * thread's instance.
   */
  run(kernelIndex: number, ownKernel: (...args: number[]) => void, args: readonly number[], units: number, chunks: number): void {
    if (this.destroyed) throw new Error('cpu backend: the worker pool was destroyed');
    if (args.length > MAX_ARGUMENTS) throw new RangeError(`cpu backend: a kernel call has ${args.length} arguments, but the control block has room for ${MAX_ARGUMENTS}`);
    const control = this.control;
    for (let i = 0; i < args.length; i++) this.args[i] = args[i];
    control[KERNEL] = kernelIndex;
    control[ARGUMENT_COUNT] = args.length;
    control[UNITS] = units;
    control[CHUNKS] = chunks;
    Atomics.store(control, DONE, 0);
    const epoch = (Atomics.load(control, EPOCH) + 1) | 0;
    const sequence = epoch & SEQUENCE_MASK;
    Atomics.store(control, NEXT, sequence << CHUNK_BITS);
    Atomics.store(control, EPOCH, epoch);
    Atomics.notify(control, EPOCH);

    // A chunk that fails here still counts as done, so that the workers' chunks are waited for
    // before the error propagates and the next job reuses the control block.
    const call = [...args, 0, 0, 0];
    let failure: unknown = null;
    for (;;) {
      const next = Atomics.load(control, NEXT);
      const chunk = next & CHUNK_MASK;
      if (chunk >= chunks) break;
      if (Atomics.compareExchange(control, NEXT, next, next + 1) !== next) continue;
      call[args.length] = chunkStart(units, chunks, chunk);
      call[args.length + 1] = chunkStart(units, chunks, chunk + 1);
      try {
        ownKernel(...call);
      } catch (error) {
        failure ??= error;
      }
      Atomics.add(control, DONE, 1);
    }
    this.waitForChunks(chunks);

    if (failure !== null) throw failure;
    if (Atomics.load(control, FAILED) !== 0) {
      Atomics.store(control, FAILED, 0);
      throw new Error('cpu backend: a kernel failed on a worker thread (a WebAssembly trap, such as an out-of-bounds memory access)');
    }
  }

  /** Stops every worker; the pool cannot run jobs afterwards. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    Atomics.store(this.control, STOP, 1);
    Atomics.add(this.control, EPOCH, 1);
    Atomics.notify(this.control, EPOCH);
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /** Waits until `chunks` chunks are done; only chunks that workers claimed can still be running. */
  private waitForChunks(chunks: number): void {
    const control = this.control;
    const spinEnd = performance.now() + SPIN_MICROSECONDS / 1000;
    for (let spin = 1; Atomics.load(control, DONE) !== chunks; spin++) {
      // Reading the clock costs more than a poll, so it is read every 64 polls.
      if ((spin & 63) === 0 && performance.now() > spinEnd) break;
    }
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done === chunks) return;
      Atomics.wait(control, DONE, done, 1000);
      if (Date.now() > deadline) {
        throw new Error(`cpu backend: worker threads did not finish ${chunks - Atomics.load(control, DONE)} chunk(s) of a job within ${JOB_TIMEOUT_MS / 1000} s`);
      }
    }
  }
}

type SpawnWorker = (message: WorkerStartMessage) => { worker: WorkerHandle; started: Promise<void> };

/** Returns a function that starts one worker, with worker_threads in Node and Web Workers elsewhere. */
async function workerFactory(): Promise<SpawnWorker> {
  const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
  if (isNode) {
    // The comments keep browser bundlers from trying to resolve this Node-only module.
    const { Worker } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:worker_threads');
    return (message) => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      const started = new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`cpu backend: a worker thread exited with code ${code} while starting`)));
      });
      worker.postMessage(message);
      return { worker, started };
    };
  }

  // NOTE: the test suite runs in Node only, so this Web Worker branch has not been run by it.
  if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL === 'undefined') {
    throw new Error('cpu backend: no Worker constructor in this environment');
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  return (message) => {
    const worker = new Worker(url);
    const started = new Promise<void>((resolve, reject) => {
      worker.addEventListener('message', () => resolve(), { once: true });
      worker.addEventListener('error', (event) => reject(new Error(`cpu backend: a worker failed to start: ${event.message}`)), { once: true });
    });
    worker.postMessage(message);
    return { worker, started };
  };
}
