import type sharpFunction from 'sharp';
import { ImageDecoderUnavailableError } from './errors.js';

/** The default export of the npm package `sharp`. */
export type Sharp = typeof sharpFunction;

/**
 * Imports `sharp` when an image is decoded. Because the import is dynamic,
 * loading this package does not load sharp, and a missing or broken sharp
 * fails only the calls that decode files.
 *
 * Bundlers still see this import. The `browser` field of package.json maps
 * 'sharp' to an empty module for bundlers that read it, such as Vite,
 * so a page's bundle leaves sharp out and decoding there fails
 * with ImageDecoderUnavailableError. Other browser builds must mark 'sharp'
 * as external.
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
