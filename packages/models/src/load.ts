import { readRegularFile } from './io/read-file.js';
import { MAX_CHECKPOINT_BYTES } from './checkpoint/limits.js';
import { readStateDict } from './checkpoint/index.js';
import { MobileMamba, type ModelOptions } from './model.js';

export interface LoadModelOptions extends ModelOptions {
  /** Entry of a trainer checkpoint to load: `net` (default) or the EMA copy `net_E`. */
  entry?: 'net' | 'net_E';
}

/**
 * Loads a MobileMamba from a PyTorch `.pth` or a safetensors checkpoint,
 * given as a path (Node) or as the file's bytes. The format is detected
 * from the content.
 */
export async function loadModel(source: string | Uint8Array, options: LoadModelOptions = {}): Promise<MobileMamba> {
  const name = typeof source === 'string' ? source : 'checkpoint';
  const bytes = typeof source === 'string' ? await readRegularFile(source, MAX_CHECKPOINT_BYTES, 'weights') : source;

  const checkpoint = readStateDict(bytes, { source: name, ...(options.entry ? { entry: options.entry } : {}) });
  return MobileMamba.fromStateDict(checkpoint.stateDict, options, { imgSize: imgSizeFromMetadata(checkpoint.metadata) });
}

/** Reads img_size from the `config` metadata entry that the fixture and converter files carry. */
function imgSizeFromMetadata(metadata: Record<string, string> | undefined): number | undefined {
  if (!metadata?.config) return undefined;
  try {
    const size = (JSON.parse(metadata.config) as { img_size?: unknown }).img_size;
    return typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : undefined;
  } catch {
    return undefined;
  }
}
