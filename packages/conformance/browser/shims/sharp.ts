/**
 * Replaces the npm package sharp, a native Node addon, in the browser
 * bundle. Its default export is undefined, so that image decoding fails
 * with the models package's "decoder unavailable" error.
 */
export default undefined;
