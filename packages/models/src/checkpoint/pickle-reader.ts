import { describeOpcode } from './pickle-opcodes.js';

/** Maximum length in bytes of a module or attribute name in a GLOBAL opcode. */
const MAX_GLOBAL_NAME_BYTES = 256;

/** Maximum width in bytes of a LONG1 or LONG4 integer. A checkpoint stores no integer wider than 8 bytes. */
const MAX_LONG_BYTES = 64;

/**
 * Reads opcodes and their arguments from a pickle. Every read is checked
 * against the bytes left, and a declared length is checked before anything
 * of that size is allocated.
 */
export class PickleReader {
  /** Offset of the opcode being run, for messages. */
  opcodeStart = 0;
  private position = 0;
  private readonly view: DataView;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly bytes: Uint8Array,
    private readonly fail: (message: string) => never,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.byteLength - this.position;
  }

  /** Returns the next opcode byte, and records where it starts. */
  opcode(): number {
    this.opcodeStart = this.position;
    if (this.position >= this.bytes.byteLength) this.fail('the pickle is truncated: it ends without a STOP opcode');
    return this.bytes[this.position++];
  }

  uint8(): number {
    return this.bytes[this.take(1)];
  }

  uint16(): number {
    return this.view.getUint16(this.take(2), true);
  }

  int32(): number {
    return this.view.getInt32(this.take(4), true);
  }

  uint32(): number {
    return this.view.getUint32(this.take(4), true);
  }

  /** Reads BINFLOAT's argument, the only big-endian field in the format. */
  float64(): number {
    return this.view.getFloat64(this.take(8), false);
  }

  /** Reads a 4- or 8-byte unsigned length and checks it against the bytes left. */
  length(width: 4 | 8): number {
    const at = this.take(width);
    const length = width === 4 ? BigInt(this.view.getUint32(at, true)) : this.view.getBigUint64(at, true);
    if (length > BigInt(this.remaining)) {
      this.fail(`${this.currentOpcode()} declares ${length} bytes, but only ${this.remaining} remain`);
    }
    return Number(length);
  }

  /** Reads a signed 4-byte length, as BINSTRING and LONG4 write it. */
  signedLength(): number {
    const length = this.int32();
    if (length < 0) this.fail(`${this.currentOpcode()} has a negative length ${length}`);
    return length;
  }

  bytesOf(length: number): Uint8Array {
    const start = this.take(length);
    return this.bytes.slice(start, start + length);
  }

  utf8(length: number): string {
    const start = this.take(length);
    try {
      return this.decoder.decode(this.bytes.subarray(start, start + length));
    } catch {
      return this.fail('a string is not valid UTF-8');
    }
  }

  /** Reads a newline-terminated name for GLOBAL. */
  line(): string {
    const end = Math.min(this.bytes.byteLength, this.position + MAX_GLOBAL_NAME_BYTES + 1);
    const newline = this.bytes.subarray(this.position, end).indexOf(0x0a);
    if (newline < 0) this.fail(`GLOBAL name is unterminated or longer than ${MAX_GLOBAL_NAME_BYTES} bytes`);
    const text = this.utf8(newline);
    this.position += 1;
    return text;
  }

  /** Decodes a little-endian two's-complement integer (LONG1, LONG4) to a number when it is a safe integer. */
  long(length: number): number | bigint {
    if (length > MAX_LONG_BYTES) this.fail(`integer of ${length} bytes is wider than the ${MAX_LONG_BYTES} bytes supported`);
    const start = this.take(length);
    if (length === 0) return 0;

    let value = 0n;
    for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.bytes[start + i]);
    if (this.bytes[start + length - 1] & 0x80) value -= 1n << BigInt(8 * length);

    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  }

  /** Advances past `length` bytes and returns where they start. */
  private take(length: number): number {
    if (length > this.remaining) {
      this.fail(`the pickle is truncated: ${this.currentOpcode()} needs ${length} bytes, ${this.remaining} remain`);
    }
    const start = this.position;
    this.position += length;
    return start;
  }

  private currentOpcode(): string {
    return describeOpcode(this.bytes[this.opcodeStart]);
  }
}
