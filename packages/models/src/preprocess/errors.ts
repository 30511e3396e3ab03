import { MobileMambaError } from '@mobilemamba/core';

/**
 * An image could not be read or decoded: a missing or empty file, bytes that
 * are not PNG or JPEG, corrupt or truncated data, or a pixel format this
 * package does not convert. `source` names the file, or the label given for
 * in-memory bytes.
 */
export class ImageDecodeError extends MobileMambaError {
  override readonly name = 'ImageDecodeError';

  constructor(
    readonly source: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`failed to decode image ${source}: ${reason}`, options);
  }
}

/**
 * The image decoder, the npm package `sharp`, could not be loaded: it is not
 * installed, or its native binary does not fit this platform.
 */
export class ImageDecoderUnavailableError extends MobileMambaError {
  override readonly name = 'ImageDecoderUnavailableError';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      `image decoding needs the npm package 'sharp', which failed to load (${reason}). `
        + 'Reinstall sharp for this platform (npm install sharp), or decode the image yourself '
        + 'and pass its RGB pixels to evalTransform.',
      options,
    );
  }
}
