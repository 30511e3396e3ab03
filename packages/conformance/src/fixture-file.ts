import { readFileSync } from 'node:fs';
import { parseSafetensors, storedToFloat32, type SafetensorsFile } from '@mobilemamba/core';
import type { HostTensor } from './bounds.js';

/** One entry of the `cases` list in a fixture file's `meta` document. */
export interface FixtureCaseMeta {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** A per-op fixture file: tensors named '<case>.<tensor>' and the case list of its metadata. */
export class FixtureFile {
  /** Cases in the order the metadata lists them. */
  readonly cases: readonly FixtureCaseMeta[];
  private readonly file: SafetensorsFile;

  constructor(
    /** Path relative to a fixtures folder, such as 'ops/conv2d.safetensors'; used in messages. */
    readonly relativePath: string,
    bytes: Uint8Array,
  ) {
    this.file = parseSafetensors(bytes, relativePath);
    this.cases = parseCaseList(relativePath, this.file.metadata.meta);
  }

  /** Reads and parses the file at `absolutePath`. */
  static read(relativePath: string, absolutePath: string): FixtureFile {
    return new FixtureFile(relativePath, readFileSync(absolutePath));
  }

  has(name: string): boolean {
    return this.file.tensors.has(name);
  }

  /** Returns the names of every tensor in the file, in the order of their data. */
  names(): string[] {
    return [...this.file.tensors.keys()];
  }

  /** Returns a tensor widened to float32; throws when the file lacks it. */
  tensor(name: string): HostTensor {
    const stored = this.file.tensors.get(name);
    if (!stored) throw new Error(`${this.relativePath}: tensor '${name}' not found`);
    return { shape: stored.shape, values: storedToFloat32(stored) };
  }

  /** Returns a tensor when the file has it, else null. */
  optionalTensor(name: string): HostTensor | null {
    return this.has(name) ? this.tensor(name) : null;
  }
}

function parseCaseList(relativePath: string, meta: string | undefined): FixtureCaseMeta[] {
  if (meta === undefined) throw new Error(`${relativePath}: the metadata has no 'meta' document`);
  const cases = (JSON.parse(meta) as { cases?: unknown }).cases;
  const valid = Array.isArray(cases) && cases.every((entry) => typeof entry === 'object' && entry !== null && typeof entry.id === 'string');
  if (!valid) throw new Error(`${relativePath}: 'meta' must hold a 'cases' list whose entries have a string 'id'`);
  return cases as FixtureCaseMeta[];
}

/** Reads a number field of a case's metadata. */
export function metaNumber(meta: FixtureCaseMeta, key: string): number {
  const value = meta[key];
  if (typeof value !== 'number') throw new Error(`fixture case ${meta.id}: meta field '${key}' is ${JSON.stringify(value)}, expected a number`);
  return value;
}

/** Reads a boolean field of a case's metadata. */
export function metaBoolean(meta: FixtureCaseMeta, key: string): boolean {
  const value = meta[key];
  if (typeof value !== 'boolean') throw new Error(`fixture case ${meta.id}: meta field '${key}' is ${JSON.stringify(value)}, expected a boolean`);
  return value;
}

/** Reads a string field of a case's metadata. */
export function metaString(meta: FixtureCaseMeta, key: string): string {
  const value = meta[key];
  if (typeof value !== 'string') throw new Error(`fixture case ${meta.id}: meta field '${key}' is ${JSON.stringify(value)}, expected a string`);
  return value;
}
