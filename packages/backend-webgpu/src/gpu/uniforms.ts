import { BufferUsage } from './flags.js';

const floatScratch = new Float32Array(1);
const wordScratch = new Uint32Array(floatScratch.buffer);

/**
 * The 32-bit words of a shader's parameter struct, written in field order.
 * Every field of the structs in shaders/ is a u32, i32 or f32 scalar or a
 * vec4 of them, so writing words in declaration order matches WGSL's
 * uniform layout as long as vec4 fields start at a multiple of 4 words.
 */
export class Params {
  private readonly words: number[] = [];

  u32(...values: readonly number[]): this {
    for (const value of values) this.words.push(value >>> 0);
    return this;
  }

  i32(...values: readonly number[]): this {
    for (const value of values) this.words.push((value | 0) >>> 0);
    return this;
  }

  f32(...values: readonly number[]): this {
    for (const value of values) {
      floatScratch[0] = value;
      this.words.push(wordScratch[0]);
    }
    return this;
  }

  /** Appends zero words until the count is a multiple of 4, where a vec4 field starts. */
  align4(): this {
    while (this.words.length % 4 !== 0) this.words.push(0);
    return this;
  }

  /** The words padded to a multiple of 16 bytes, as uniform buffers need. */
  toWords(): Uint32Array {
    this.align4();
    return Uint32Array.from(this.words.length === 0 ? [0, 0, 0, 0] : this.words);
  }
}

/**
 * Uniform buffers by content. A buffer is written once at creation
 * (mappedAtCreation) and never changed, so a dispatch may reuse it while
 * earlier dispatches that read it are still queued. The model repeats a
 * few hundred parameter sets, so most dispatches find theirs here.
 */
export class UniformCache {
  private readonly buffers = new Map<string, GPUBuffer>();
  private readonly doomed: GPUBuffer[] = [];

  constructor(
    /** Creates a mapped uniform buffer of `size` bytes; the runtime wraps it in error scopes. */
    private readonly createBuffer: (size: number, usage: number) => GPUBuffer,
    private readonly maxEntries = 4096,
  ) {}

  get size(): number {
    return this.buffers.size;
  }

  /** Returns a uniform buffer that holds exactly `words`. */
  bufferFor(words: Uint32Array): GPUBuffer {
    const key = words.join(',');
    const cached = this.buffers.get(key);
    if (cached) {
      // Re-insert, so that Map order is least recently used first.
      this.buffers.delete(key);
      this.buffers.set(key, cached);
      return cached;
    }

    const buffer = this.createBuffer(words.byteLength, BufferUsage.UNIFORM);
    new Uint32Array(buffer.getMappedRange()).set(words);
    buffer.unmap();
    this.buffers.set(key, buffer);
    this.evict();
    return buffer;
  }

  /** Destroys evicted buffers; call after submitting the commands that may use them. */
  collect(): void {
    for (const buffer of this.doomed.splice(0)) buffer.destroy();
  }

  /** Destroys every buffer; call after submitting pending commands. */
  clear(): void {
    for (const buffer of this.buffers.values()) this.doomed.push(buffer);
    this.buffers.clear();
    this.collect();
  }

  private evict(): void {
    while (this.buffers.size > this.maxEntries) {
      const [oldest, buffer] = this.buffers.entries().next().value as [string, GPUBuffer];
      this.buffers.delete(oldest);
      this.doomed.push(buffer);
    }
  }
}
