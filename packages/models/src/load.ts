import { readRegularFile } from './io/read-file.js';
import { resolveArchitecture } from './architecture/resolve.js';
import { MAX_CHECKPOINT_BYTES } from './checkpoint/limits.js';
import { CheckpointError, readStateDict } from './checkpoint/index.js';
import { MAX_IMAGE_SIZE, MobileMamba, checkImgSizeOption, type ModelOptions } from './model.js';

export interface LoadModelOptions extends ModelOptions {
  /** Entry of a trainer checkpoint to load: `net` (default) or the EMA copy `net_E`. */
  entry?: 'net' | 'net_E';
}

/**
 * Loads a MobileMamba from a PyTorch `.pth` or a safetensors checkpoint,
 * given as a path (Node) or as the file's bytes. The format is detected
 * from the content. The tensor names and shapes are checked against the
 * requested (or inferred) architecture before any tensor data is inflated
 * or converted, so a file that is not that model is rejected at the cost of
 * reading its listing.
 */
export async function loadModel(source: string | Uint8Array, options: LoadModelOptions = {}): Promise<MobileMamba> {
  const name = typeof source === 'string' ? source : 'checkpoint';
  checkImgSizeOption(options.imgSize, 'loadModel');
  const bytes = typeof source === 'string' ? await readRegularFile(source, MAX_CHECKPOINT_BYTES, 'weights') : source;

  let metadataImgSize: number | undefined;
  const checkpoint = readStateDict(bytes, {
    source: name,
    ...(options.entry ? { entry: options.entry } : {}),
    validateListing: (listing) => {
      resolveArchitecture(listing.tensors, options.model);
      metadataImgSize = imgSizeFromMetadata(listing.metadata, name);
    },
  });
  return MobileMamba.fromStateDict(checkpoint.stateDict, options, { imgSize: metadataImgSize });
}

/**
 * Reads img_size from the `config` metadata entry that the fixture and
 * converter files carry. A config that is not a JSON object, or has no
 * img_size (or null), gives undefined. An img_size that is present but not
 * an integer in [1, MAX_IMAGE_SIZE] raises CheckpointError here, because a
 * model sized to it would fail only later, with an error that blames the
 * image.
 */
function imgSizeFromMetadata(metadata: Record<string, string> | undefined, source: string): number | undefined {
  if (!metadata?.config) return undefined;
  let size: unknown;
  try {
    size = (JSON.parse(metadata.config) as { img_size?: unknown } | null)?.img_size;
  } catch {
    return undefined;
  }
  if (size === undefined || size === null) return undefined;

  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_IMAGE_SIZE) {
    const valueText = typeof size === 'number' ? String(size) : JSON.stringify(size).slice(0, 40);
    throw new CheckpointError(
      `${source}: invalid img_size ${valueText} in the metadata entry 'config'; expected an integer from 1 to ${MAX_IMAGE_SIZE}`,
    );
  }
  return size;
}
