type Port = { postMessage(message: unknown): void };
type NodePort = Port & { once(event: string, listener: (data: unknown) => void): void };

/** Start message that the main thread sends each worker once. */
export interface WorkerStartMessage {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the control block (see control-block.ts). */
  readonly control: number;
  /** This worker's index, 1 or more (the main thread is 0); kernels use it to pick their scratch slot. */
  readonly index: number;
  /** Names of the exports that jobs refer to by index. */
  readonly kernels: readonly string[];
  /** Int32 field indices and constants of the control block (see control-block.ts). */
  readonly layout: {
    readonly epoch: number;
    readonly next: number;
    readonly done: number;
    readonly kernel: number;
    readonly argumentCount: number;
    readonly units: number;
    readonly chunks: number;
    readonly stop: number;
    readonly failed: number;
    readonly argumentsByteOffset: number;
    readonly maxArguments: number;
    readonly chunkBits: number;
    readonly chunkMask: number;
    readonly sequenceMask: number;
  };
  /** Microseconds the worker polls the control block before it sleeps in Atomics.wait. */
  readonly spinMicroseconds: number;
}

/**
 * Runs one worker, in Node (worker_threads) and in browsers (Web Workers).
 * It receives one start message, instantiates the kernel module
 * on the shared memory, reports 'ready', and then loops: wait for a new
 * epoch, then claim and run chunks of the job until none is left. It never
 * returns to its event loop, so it cannot receive more messages; the main
 * thread stops it through the control block and terminate().
 *
 * It is turned into source text with toString(), so it must not refer to
 * anything outside its own body. `nodePort` is worker_threads' parentPort
 * in Node (see WORKER_SOURCE) and undefined in browsers.
 */
function workerMain(nodePort: NodePort | undefined): void {
  const scope = globalThis as unknown as {
    addEventListener?: (event: string, listener: (event: { data: unknown }) => void, options?: { once: boolean }) => void;
    postMessage?: (message: unknown) => void;
  };

  const start = (message: WorkerStartMessage, port: Port): void => {
    const { layout } = message;
    const instance = new WebAssembly.Instance(message.module, { env: { memory: message.memory } });
    const exports = instance.exports as Record<string, (...args: number[]) => void>;
    const kernels = message.kernels.map((name) => exports[name]);
    const control = new Int32Array(message.memory.buffer, message.control, layout.argumentsByteOffset / 4);
    const args = new Float64Array(message.memory.buffer, message.control + layout.argumentsByteOffset, layout.maxArguments);
    // One reusable argument array per argument count, so that a job allocates nothing.
    const callArguments: number[][] = [];
    port.postMessage('ready');

    let seen = Atomics.load(control, layout.epoch);
    for (;;) {
      // Poll for a while, reading the clock every 64 polls, then sleep until the epoch changes.
      const spinEnd = performance.now() + message.spinMicroseconds / 1000;
      for (let spin = 1; Atomics.load(control, layout.epoch) === seen; spin++) {
        if ((spin & 63) === 0 && performance.now() > spinEnd) Atomics.wait(control, layout.epoch, seen);
      }
      seen = Atomics.load(control, layout.epoch);
      if (Atomics.load(control, layout.stop) !== 0) return;

      const sequence = seen & layout.sequenceMask;
      const units = control[layout.units];
      const chunks = control[layout.chunks];
      const count = control[layout.argumentCount];
      const kernel = kernels[control[layout.kernel]];
      const call = (callArguments[count] ??= new Array<number>(count + 3).fill(0));
      for (let i = 0; i < count; i++) call[i] = args[i];
      call[count + 2] = message.index;

      // Claim chunks until none is left. The claim fails once the main thread has moved on to
      // another job, so arguments read above are only used while they are current.
      for (;;) {
        const next = Atomics.load(control, layout.next);
        const chunk = next & layout.chunkMask;
        if (next >>> layout.chunkBits !== sequence || chunk >= chunks) break;
        if (Atomics.compareExchange(control, layout.next, next, next + 1) !== next) continue;

        call[count] = Math.floor((units * chunk) / chunks);
        call[count + 1] = Math.floor((units * (chunk + 1)) / chunks);
        try {
          kernel(...call);
        } catch {
          Atomics.store(control, layout.failed, 1);
        }
        if (Atomics.add(control, layout.done, 1) + 1 === chunks) Atomics.notify(control, layout.done);
      }
    }
  };

  if (nodePort !== undefined) {
    nodePort.once('message', (data) => start(data as WorkerStartMessage, nodePort));
  } else {
    const port: Port = { postMessage: (message) => scope.postMessage!(message) };
    scope.addEventListener!('message', (event) => start(event.data as WorkerStartMessage, port), { once: true });
  }
}

/**
 * Source text of a worker script, for `new Worker(source, { eval: true })`
 * or a Blob URL. The Node port is imported by this plain-text prelude
 * rather than inside workerMain, because a bundler may rewrite imports in
 * workerMain's body into helpers that do not exist in the worker. Dynamic
 * import works whether Node runs the eval'd code as CommonJS or as a module
 * (it does the latter under --input-type=module).
 */
export const WORKER_SOURCE = [
  `const workerMain = ${workerMain.toString()};`,
  "if (typeof process === 'object' && process.versions && process.versions.node) {",
  "  import('node:worker_threads').then((threads) => workerMain(threads.parentPort));",
  '} else {',
  '  workerMain(undefined);',
  '}',
  '',
].join('\n');
