import { notFound, requestFile } from './file-requests.js';

/** Replaces node:fs's existsSync with a HEAD request to the fixture server. */
export function existsSync(path: string): boolean {
  return requestFile(path, 'HEAD').status === 200;
}

/** Replaces node:fs's readFileSync: returns the bytes, or text when an encoding is given. */
export function readFileSync(path: string, encoding?: string | { encoding?: string }): Uint8Array | string {
  const { status, bytes } = requestFile(path, 'GET');
  if (status !== 200) throw notFound(path);
  const textEncoding = typeof encoding === 'string' ? encoding : encoding?.encoding;
  if (!textEncoding) return bytes;

  // The Encoding Standard lists Node's 'utf8' as a label of UTF-8 too.
  return new TextDecoder(textEncoding).decode(bytes);
}

export default { existsSync, readFileSync };
