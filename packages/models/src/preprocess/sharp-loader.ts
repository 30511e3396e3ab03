import type sharpFunction from 'sharp';
import { ImageDecoderUnavailableError } from './errors.js';

/** The default export of the npm package `sharp`. */
export type Sharp = typeof sharpFunction;

/**
 * Imports `sharp` when an image is decoded. Because the import is dynamic,
 * loading this package does not load sharp, and a missing or broken sharp
 * fails only the calls that decode files.
 *
 * NOTE: bundlers still see this import. A browser build must mark 'sharp'
 * as external or replace it with an empty module.
 */
export async function loadSharp(): Promise<Sharp> {
  let module: { default?: Sharp };
  try {
    module = (await import('sharp')) as { default?: Sharp };
  } catch (error) {
    throw new ImageDecoderUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
  }

  // Node's ESM loader puts a CommonJS module.exports on `default`, but some bundlers return it directly.
  const sharp = (module.default ?? module) as unknown;
  if (typeof sharp !== 'function') {
    throw new ImageDecoderUnavailableError(`the module loaded as 'sharp' exports ${typeof sharp}, not a function`);
  }
  return sharp as Sharp;
}
