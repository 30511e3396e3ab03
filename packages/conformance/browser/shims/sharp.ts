/**
 * Replaces the npm package sharp, a native Node addon, in the page. The
 * conformance suite decodes its PNG digits without sharp, so nothing in the
 * page should load it. If something does, this throws, and the models
 * package's decodeImage reports an ImageDecoderUnavailableError with this
 * reason.
 */
export {};

throw new Error('sharp is a native Node addon, which a browser page cannot load');
