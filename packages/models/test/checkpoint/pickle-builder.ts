/**
 * Writes pickles opcode by opcode, so tests can build valid and hostile
 * checkpoints without Python. Method names follow CPython's opcode names.
 */
export class PickleBuilder {
  private readonly bytes: number[] = [];

  /** Appends raw bytes, for opcodes the builder has no method for. */
  raw(...bytes: number[]): this {
    for (const byte of bytes) this.bytes.push(byte);
    return this;
  }

  proto(version = 2): this {
    return this.raw(0x80, version);
  }

  frame(length: number | bigint): this {
    return this.raw(0x95, ...uint64(BigInt(length)));
  }

  stop(): this {
    return this.raw(0x2e);
  }

  mark(): this {
    return this.raw(0x28);
  }

  pop(): this {
    return this.raw(0x30);
  }

  none(): this {
    return this.raw(0x4e);
  }

  bool(value: boolean): this {
    return this.raw(value ? 0x88 : 0x89);
  }

  /** Writes an integer with the shortest opcode torch's pickler would use. */
  int(value: number | bigint): this {
    const big = BigInt(value);
    if (big >= 0n && big < 256n) return this.raw(0x4b, Number(big));
    if (big >= 0n && big < 65536n) return this.raw(0x4d, Number(big & 0xffn), Number(big >> 8n));
    if (big >= -(2n ** 31n) && big < 2n ** 31n) return this.raw(0x4a, ...int32(Number(big)));
    return this.long1(big);
  }

  /** LONG1: a little-endian two's-complement integer of up to 255 bytes. */
  long1(value: bigint): this {
    const bytes: number[] = [];
    let rest = value;
    for (;;) {
      bytes.push(Number(rest & 0xffn));
      rest >>= 8n;
      const signBit = (bytes[bytes.length - 1] & 0x80) !== 0;
      if ((rest === 0n && !signBit) || (rest === -1n && signBit)) break;
    }
    return this.raw(0x8a, bytes.length, ...bytes);
  }

  float(value: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, false);
    return this.raw(0x47, ...bytes);
  }

  /** BINUNICODE, as protocol 2 writes every str. */
  string(value: string): this {
    const utf8 = new TextEncoder().encode(value);
    return this.raw(0x58, ...uint32(utf8.length), ...utf8);
  }

  /** SHORT_BINUNICODE (protocol 4). */
  shortString(value: string): this {
    const utf8 = new TextEncoder().encode(value);
    return this.raw(0x8c, utf8.length, ...utf8);
  }

  global(module: string, name: string): this {
    return this.raw(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`));
  }

  /** STACK_GLOBAL (protocol 4): module and name are strings on the stack. */
  stackGlobal(module: string, name: string): this {
    return this.shortString(module).shortString(name).raw(0x93);
  }

  emptyList(): this {
    return this.raw(0x5d);
  }

  emptyDict(): this {
    return this.raw(0x7d);
  }

  emptyTuple(): this {
    return this.raw(0x29);
  }

  list(): this {
    return this.raw(0x6c);
  }

  tuple(): this {
    return this.raw(0x74);
  }

  tuple1(): this {
    return this.raw(0x85);
  }

  tuple2(): this {
    return this.raw(0x86);
  }

  append(): this {
    return this.raw(0x61);
  }

  appends(): this {
    return this.raw(0x65);
  }

  setitem(): this {
    return this.raw(0x73);
  }

  setitems(): this {
    return this.raw(0x75);
  }

  reduce(): this {
    return this.raw(0x52);
  }

  build(): this {
    return this.raw(0x62);
  }

  newobj(): this {
    return this.raw(0x81);
  }

  binpersid(): this {
    return this.raw(0x51);
  }

  put(key: number): this {
    return key < 256 ? this.raw(0x71, key) : this.raw(0x72, ...uint32(key));
  }

  get(key: number): this {
    return key < 256 ? this.raw(0x68, key) : this.raw(0x6a, ...uint32(key));
  }

  memoize(): this {
    return this.raw(0x94);
  }

  /** Writes a tuple of integers, as torch writes sizes and strides. */
  intTuple(values: readonly (number | bigint)[]): this {
    this.mark();
    for (const value of values) this.int(value);
    return this.tuple();
  }

  /** Writes `collections.OrderedDict()`, the empty backward-hooks argument of every tensor. */
  orderedDict(): this {
    return this.global('collections', 'OrderedDict').emptyTuple().reduce();
  }

  /**
   * Writes a tensor the way torch.save does: `_rebuild_tensor_v2` applied to
   * the persistent id ('storage', class, key, 'cpu', numel), the offset, size,
   * stride, requires_grad=False and empty backward hooks.
   */
  tensor(spec: TensorSpec): this {
    this.global('torch._utils', '_rebuild_tensor_v2').mark();
    this.mark().string('storage').global('torch', spec.storageClass ?? 'FloatStorage').string(spec.key).string('cpu').int(spec.numel).tuple();
    this.binpersid();
    this.int(spec.offset ?? 0).intTuple(spec.size).intTuple(spec.stride ?? contiguousStrides(spec.size));
    this.bool(false).orderedDict();
    return this.tuple().reduce();
  }

  /** Writes a dict {name: tensor} with one SETITEMS, as torch.save writes a small state_dict. */
  stateDict(tensors: Readonly<Record<string, TensorSpec>>): this {
    this.emptyDict().mark();
    for (const [name, spec] of Object.entries(tensors)) this.string(name).tensor(spec);
    return this.setitems();
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export interface TensorSpec {
  readonly key: string;
  readonly numel: number | bigint;
  readonly size: readonly (number | bigint)[];
  readonly stride?: readonly (number | bigint)[];
  readonly offset?: number | bigint;
  readonly storageClass?: string;
}

export function contiguousStrides(size: readonly (number | bigint)[]): number[] {
  const strides = new Array<number>(size.length);
  let stride = 1;
  for (let axis = size.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= Number(size[axis]);
  }
  return strides;
}

function uint32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

function int32(value: number): number[] {
  return uint32(value >>> 0);
}

function uint64(value: bigint): number[] {
  const bytes: number[] = [];
  for (let i = 0n; i < 8n; i++) bytes.push(Number((value >> (8n * i)) & 0xffn));
  return bytes;
}
