import { readFile, writeFile } from 'node:fs/promises';
import { parseSafetensors, serializeSafetensors, storedToFloat32, tensor, type Tensor } from '@mobilemamba/core';
import { INTERMEDIATE_NAMES, loadModel, type ModelChoice } from '@mobilemamba/models';
import { selectBackend } from '../backends.js';
import { CommandError } from '../errors.js';
import type { Reporter } from '../reporter.js';

export interface RunOptions {
  weights: string;
  input: string;
  output: string;
  model: ModelChoice;
  backend?: string;
  intermediates: boolean;
  entry?: 'net' | 'net_E';
}

/**
 * Reads the tensor `input` [B, 3, H, W] from a safetensors file, runs the
 * model, and writes `logits` (and with --intermediates the stem, stage and
 * pooled outputs under the fixtures' names) to another safetensors file.
 */
export async function runCommand(options: RunOptions, reporter: Reporter): Promise<void> {
  const inputFile = parseSafetensors(await readInput(options.input), options.input);
  const stored = inputFile.tensors.get('input');
  if (!stored) {
    throw new CommandError(`${options.input}: no tensor named 'input' (found: ${[...inputFile.tensors.keys()].join(', ') || 'none'})`);
  }
  if (stored.shape.length !== 4 || stored.shape[1] !== 3) {
    throw new CommandError(`${options.input}: tensor 'input' has shape [${stored.shape.join(', ')}], expected [B, 3, H, W]`);
  }
  if (!['F32', 'F16', 'BF16', 'F64'].includes(stored.dtype)) {
    throw new CommandError(`${options.input}: tensor 'input' has dtype ${stored.dtype}, expected a floating-point type`);
  }
  const values = storedToFloat32(stored);
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new CommandError(`${options.input}: tensor 'input' element ${bad} is ${values[bad]}; the input must be finite`);

  const backend = await selectBackend(options.backend, reporter.warn);
  const model = await loadModel(options.weights, { model: options.model, backend, ...(options.entry ? { entry: options.entry } : {}) });
  const started = performance.now();
  const input = tensor(values, stored.shape, backend);
  const outputs = model.forwardWithIntermediates(input);
  try {
    const names = options.intermediates ? [...INTERMEDIATE_NAMES, 'logits'] : ['logits'];
    const written: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
    for (const name of names) {
      const output: Tensor = outputs[name];
      written[name] = { shape: output.shape, data: await output.data() };
    }
    const seconds = (performance.now() - started) / 1000;
    await writeFile(options.output, serializeSafetensors(written));
    reporter.info(`wrote ${names.join(', ')} to ${options.output} (backend ${backend.name}, ${seconds.toFixed(2)} s)`);
  } finally {
    Object.values(outputs).forEach((t) => t.dispose());
    input.dispose();
    model.dispose();
  }
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CommandError(`cannot read input '${path}': ${code === 'ENOENT' ? 'file not found' : (error as Error).message}`);
  }
}
