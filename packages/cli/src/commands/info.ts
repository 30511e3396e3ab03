import { loadModel, type ModelChoice } from '@mobilemamba/models';
import { selectBackend } from '../backends.js';
import type { Reporter } from '../reporter.js';

export interface InfoOptions {
  weights: string;
  model: ModelChoice;
  backend?: string;
  entry?: 'net' | 'net_E';
  json: boolean;
  size?: number;
}

/** Prints the detected architecture, parameter count and multiply-accumulates at the native resolution. */
export async function infoCommand(options: InfoOptions, reporter: Reporter): Promise<void> {
  const backend = await selectBackend(options.backend, reporter.debug);
  const model = await loadModel(options.weights, {
    model: options.model,
    backend,
    ...(options.entry ? { entry: options.entry } : {}),
    ...(options.size ? { imgSize: options.size } : {}),
  });
  const { description } = model;
  model.dispose();

  if (options.json) {
    reporter.info(JSON.stringify({ file: options.weights, ...description }, null, 2));
    return;
  }

  const variant = description.variant
    ? `MobileMamba ${description.variant.toUpperCase()}`
    : 'custom MobileMamba (matches no released variant)';
  const shared = description.matchingVariants.length > 1
    ? ` (same architecture as ${description.matchingVariants.map((v) => v.toUpperCase()).join(', ')}; pass --model to pick the resolution)`
    : '';
  reporter.info(`${options.weights}`);
  reporter.info(`  architecture  ${variant}${shared}`);
  reporter.info(`  weights       ${description.form}, ${description.plan.numClasses} classes${description.plan.distillation ? ', distillation head' : ''}`);
  reporter.info(`  parameters    ${description.parameters.toLocaleString('en-US')}`);
  const sizeNote = description.imgSizeSource === 'default'
    ? ' (the default: the checkpoint does not record its input size; pass --size)'
    : '';
  reporter.info(`  resolution    ${description.imgSize} x ${description.imgSize}${sizeNote}`);
  reporter.info(`  FLOPs         ${(description.macs / 1e6).toFixed(1)} M multiply-adds at ${description.imgSize} x ${description.imgSize}`);
  description.plan.stages.forEach((stage, index) => {
    const { global, local, identity } = stage.split;
    reporter.info(
      `  stage ${index + 1}       ${stage.dim} channels, ${stage.depth} block${stage.depth === 1 ? '' : 's'}, kernel ${stage.kernel}, split global ${global} / local ${local} / identity ${identity}`,
    );
  });
}
