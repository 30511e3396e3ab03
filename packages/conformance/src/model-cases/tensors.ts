import { readFileSync } from 'node:fs';
import { parseSafetensors, storedToFloat32, type SafetensorsFile } from '@mobilemamba/core';
import type { HostTensor } from '../bounds.js';

/** Any safetensors fixture read as float32 tensors by name, for files without a per-case `meta` list. */
export class FixtureTensors {
  private constructor(
    readonly relativePath: string,
    private readonly file: SafetensorsFile,
  ) {}

  static read(relativePath: string, absolutePath: string): FixtureTensors {
    return new FixtureTensors(relativePath, parseSafetensors(readFileSync(absolutePath), relativePath));
  }

  names(): string[] {
    return [...this.file.tensors.keys()];
  }

  tensor(name: string): HostTensor {
    const stored = this.file.tensors.get(name);
    if (!stored) throw new Error(`${this.relativePath}: tensor '${name}' not found`);
    return { shape: stored.shape, values: storedToFloat32(stored) };
  }
}
