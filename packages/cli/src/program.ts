import { Command, InvalidArgumentError as OptionError, Option } from 'commander';
import { VARIANT_NAMES, type ModelChoice } from '@mobilemamba/models';
import { classifyCommand } from './commands/classify.js';
import { infoCommand } from './commands/info.js';
import { runCommand } from './commands/run.js';
import type { Reporter } from './reporter.js';

function positiveInteger(name: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new OptionError(`${name} must be a positive integer, got '${value}'`);
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
    .option('--verbose', 'print stack traces with errors')
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => reporter.warn(text.trimEnd()) });

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
    .option('--size <pixels>', "input resolution (default: the variant's native one, or 224 for a custom architecture)", positiveInteger('--size'))
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
    .option('--size <pixels>', 'resolution for the FLOP count (default: the native one)', positiveInteger('--size'))
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

  return program;
}
