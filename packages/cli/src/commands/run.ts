import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseSafetensors, serializeSafetensors, storedToFloat32, tensor, type Tensor } from '@mobilemamba/core';
import { INTERMEDIATE_NAMES, checkFiniteLogits, loadModel, readRegularFile, type ModelChoice } from '@mobilemamba/models';
import { describeBackendChoice, selectBackend } from '../backends.js';
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
  if (resolve(options.input) === resolve(options.output)) {
    throw new CommandError(`--output '${options.output}' is the input file; choose another path so the input is not overwritten`);
  }
  const inputFile = parseSafetensors(await readRegularFile(options.input, MAX_INPUT_BYTES, 'input'), options.input);
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

  const backend = await selectBackend(options.backend, reporter.debug);
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
    checkFiniteLogits(written.logits.data, written.logits.shape[1]);
    const seconds = (performance.now() - started) / 1000;
    await writeOutput(options.output, serializeSafetensors(written));
    reporter.info(`wrote ${names.join(', ')} to ${options.output} (backend ${describeBackendChoice(backend, options.backend, reporter.debug !== undefined)}, ${seconds.toFixed(2)} s)`);
  } finally {
    Object.values(outputs).forEach((t) => t.dispose());
    input.dispose();
    model.dispose();
  }
}

/** Largest input file read (2 GiB, Node's limit for one buffer). */
const MAX_INPUT_BYTES = 2 ** 31 - 1;

async function writeOutput(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new CommandError(`cannot write --output '${path}': ${reason}`, { cause: error });
  }
}
