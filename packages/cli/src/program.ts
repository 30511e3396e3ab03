import { Command, InvalidArgumentError as OptionError, Option } from 'commander';
import { MAX_IMAGE_SIZE, VARIANT_NAMES, type ModelChoice } from '@mobilemamba/models';
import packageJson from '../package.json' with { type: 'json' };
import { benchCommand } from './commands/bench.js';
import { classifyCommand } from './commands/classify.js';
import { infoCommand } from './commands/info.js';
import { runCommand } from './commands/run.js';
import type { Reporter } from './reporter.js';

function positiveInteger(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`;
      throw new OptionError(`${name} must be ${range}, got '${value}'`);
    }
    return parsed;
  };
}

function nonNegativeInteger(name: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new OptionError(`${name} must be a non-negative integer, got '${value}'`);
    return parsed;
  };
}

const modelOption = () =>
  new Option('--model <variant>', 'architecture: auto (inferred from the weights) or a released variant')
    .choices(['auto', ...VARIANT_NAMES])
    .default('auto');
const backendOption = () =>
  new Option('--backend <name>', 'backend to run on (default: the fastest available)');
const entryOption = () =>
  new Option('--entry <key>', "weights inside a trainer checkpoint: net, or net_E for the EMA copy").choices(['net', 'net_E']);

/** Builds the `mobilemamba` command line. Actions write through `reporter`. */
export function createProgram(reporter: Reporter): Command {
  const program = new Command('mobilemamba')
    .description('Run the MobileMamba image classifier on any @mobilemamba backend.')
    .version(packageJson.version, '--version', 'print the version')
    .option('--verbose', 'print stack traces with errors')
    .configureOutput({ writeErr: (text) => reporter.warn(text.trimEnd()), writeOut: (text) => reporter.info(text.trimEnd()) });

  program
    .command('classify')
    .description('classify images (PNG or JPEG) and print the top classes')
    .argument('<image...>', 'image files')
    .requiredOption('--weights <file>', 'checkpoint: PyTorch .pth or safetensors')
    .addOption(modelOption())
    .addOption(backendOption())
    .addOption(entryOption())
    .option('--top <k>', 'number of classes to print per image', positiveInteger('--top'), 5)
    .option('--json', 'print one JSON array with an object per image')
    .option('--labels <file>', 'class names: a JSON array or one per line (default: ImageNet-1k)')
    .option('--batch-size <n>', 'images per forward pass', positiveInteger('--batch-size'), 8)
    .option('--size <pixels>', "input resolution (default: the variant's native one, or 224 for a custom architecture)", positiveInteger('--size', MAX_IMAGE_SIZE))
    .action(async (images: string[], options) => {
      await classifyCommand(
        {
          images,
          weights: options.weights,
          model: options.model as ModelChoice,
          backend: options.backend,
          top: options.top,
          json: Boolean(options.json),
          labels: options.labels,
          batchSize: options.batchSize,
          size: options.size,
          entry: options.entry,
        },
        reporter,
      );
    });

  program
    .command('run')
    .description("run the tensor 'input' [B, 3, H, W] of a safetensors file and write 'logits'")
    .requiredOption('--weights <file>', 'checkpoint: PyTorch .pth or safetensors')
    .requiredOption('--input <file>', "safetensors file holding 'input'")
    .requiredOption('--output <file>', 'safetensors file to write')
    .addOption(modelOption())
    .addOption(backendOption())
    .addOption(entryOption())
    .option('--intermediates', 'also write patch_embed, blocks1, blocks2, blocks3 and pooled')
    .action(async (options) => {
      await runCommand(
        {
          weights: options.weights,
          input: options.input,
          output: options.output,
          model: options.model as ModelChoice,
          backend: options.backend,
          intermediates: Boolean(options.intermediates),
          entry: options.entry,
        },
        reporter,
      );
    });

  program
    .command('info')
    .description('print the architecture, parameter count and FLOPs of a checkpoint')
    .requiredOption('--weights <file>', 'checkpoint: PyTorch .pth or safetensors')
    .addOption(modelOption())
    .addOption(backendOption())
    .addOption(entryOption())
    .option('--json', 'print JSON')
    .option('--size <pixels>', 'resolution for the FLOP count (default: the native one)', positiveInteger('--size', MAX_IMAGE_SIZE))
    .action(async (options) => {
      await infoCommand(
        {
          weights: options.weights,
          model: options.model as ModelChoice,
          backend: options.backend,
          entry: options.entry,
          json: Boolean(options.json),
          size: options.size,
        },
        reporter,
      );
    });

  program
    .command('bench')
    .description('time forward passes of a model on one backend, with random weights or a checkpoint')
    .addOption(
      new Option('--model <variant>', 'released variant to build (default t2), or auto to infer it from --weights')
        .choices(['auto', ...VARIANT_NAMES]),
    )
    .option('--weights <file>', 'checkpoint to run: PyTorch .pth or safetensors (default: seeded random weights)')
    .addOption(backendOption())
    .addOption(entryOption())
    .option('--batch <n>', 'images per forward pass', positiveInteger('--batch'), 1)
    .option('--runs <n>', 'timed forward passes', positiveInteger('--runs'), 10)
    .option('--warmup <n>', 'untimed forward passes before the timed ones', nonNegativeInteger('--warmup'), 3)
    .option('--seed <n>', 'seed of the random weights', nonNegativeInteger('--seed'), 0)
    .option('--size <pixels>', "input resolution (default: the variant's native one)", positiveInteger('--size', MAX_IMAGE_SIZE))
    .option('--json', 'print one JSON object with the figures')
    .action(async (options) => {
      await benchCommand(
        {
          model: options.model as ModelChoice | undefined,
          weights: options.weights,
          backend: options.backend,
          entry: options.entry,
          batch: options.batch,
          runs: options.runs,
          warmup: options.warmup,
          seed: options.seed,
          size: options.size,
          json: Boolean(options.json),
        },
        reporter,
      );
    });

  return program;
}
