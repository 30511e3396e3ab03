import { atomicsWaitAllowed, sharedMemorySupported } from '../wasm/features.js';

/** Support of this environment for running kernels on several threads. */
export interface ThreadingSupport {
  /** Logical cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
  readonly cores: number;
  /** A shared WebAssembly.Memory can be created (browsers: cross-origin isolated pages only). */
  readonly sharedMemory: boolean;
  /** This thread may block in Atomics.wait (not a browser's main thread). */
  readonly atomicsWait: boolean;
  /** A worker constructor exists (worker_threads in Node, Worker in browsers). */
  readonly workers: boolean;
}

/** The thread count the backend will use, and why it is lower than requested when it is. */
export interface ThreadingDecision {
  readonly threads: number;
  /** Reason that the backend runs on one thread although more were requested or available, or null. */
  readonly fallbackReason: string | null;
}

/** Probes the current environment. */
export async function probeThreading(): Promise<ThreadingSupport> {
  const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
  let cores = 1;
  let workers = false;
  if (isNode) {
    // The comments keep browser bundlers from trying to resolve this Node-only module.
    const os = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:os');
    cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    workers = true;
  } else {
    const navigatorCores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
    cores = typeof navigatorCores === 'number' && navigatorCores > 0 ? navigatorCores : 1;
    workers = typeof Worker !== 'undefined';
  }
  return { cores, sharedMemory: sharedMemorySupported(), atomicsWait: atomicsWaitAllowed(), workers };
}

/**
 * Chooses the thread count: the requested count, or every core when none
 * was requested, reduced to 1 when the environment cannot share memory
 * with workers or block the calling thread while they run.
 */
export function decideThreads(requested: number | undefined, support: ThreadingSupport): ThreadingDecision {
  const wanted = requested ?? Math.max(1, support.cores);
  if (wanted <= 1) return { threads: 1, fallbackReason: null };

  if (!support.sharedMemory) {
    return {
      threads: 1,
      fallbackReason: 'shared WebAssembly memory is unavailable (browsers allow SharedArrayBuffer only on cross-origin isolated pages)',
    };
  }
  if (!support.atomicsWait) {
    return { threads: 1, fallbackReason: 'Atomics.wait is not allowed on this thread (a browser main thread); run the backend in a worker to use threads' };
  }
  if (!support.workers) return { threads: 1, fallbackReason: 'no Worker constructor in this environment' };
  return { threads: wanted, fallbackReason: null };
}
