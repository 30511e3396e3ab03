import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, serializeSafetensors, storedToFloat32, TensorFileError } from '../src/index.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../../fixtures/${name}`, import.meta.url)));

describe('parseSafetensors', () => {
  it('reads a fixture with metadata', () => {
    const file = parseSafetensors(fixture('models/tiny.io.safetensors'));
    const logits = file.tensors.get('logits');
    expect(logits?.dtype).toBe('F32');
    expect(logits?.shape).toEqual([2, 10]);
    expect(JSON.parse(file.metadata.meta)).toBeTypeOf('object');
  });

  it('widens F16 weights exactly', () => {
    const file = parseSafetensors(fixture('models/tiny2.weights.safetensors'));
    const [name, stored] = [...file.tensors].find(([, t]) => t.dtype === 'F16')!;
    const values = storedToFloat32(stored);
    expect(values.length, name).toBe(stored.bytes.byteLength / 2);
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it('round-trips through serializeSafetensors', () => {
    const data = new Float32Array([1, -2.5, 3, 1e-8, 0, 7]);
    const bytes = serializeSafetensors({ x: { shape: [2, 3], data } }, { note: 'hi' });
    const file = parseSafetensors(bytes);
    expect(Array.from(storedToFloat32(file.tensors.get('x')!))).toEqual(Array.from(data));
    expect(file.metadata).toEqual({ note: 'hi' });
  });

  it('rejects a header length past the end', () => {
    const bytes = serializeSafetensors({ x: { shape: [1], data: new Float32Array([1]) } });
    new DataView(bytes.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => parseSafetensors(bytes)).toThrow(TensorFileError);
  });

  it('rejects overlapping tensors', () => {
    const header = JSON.stringify({
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    });
    const headerBytes = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + headerBytes.length + 12);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
    bytes.set(headerBytes, 8);
    expect(() => parseSafetensors(bytes)).toThrow(/overlaps/);
  });
});
