import { MobileMambaError } from '@mobilemamba/core';

/** A file could not be read: missing, a directory, a device or pipe, or too large. */
export class FileReadError extends MobileMambaError {
  override readonly name = 'FileReadError';

  constructor(
    readonly path: string,
    readonly reason: string,
    what = 'file',
    options?: { cause?: unknown },
  ) {
    super(`cannot read ${what} '${path}': ${reason}`, options);
  }
}

/**
 * Reads a whole regular file in Node. Devices, pipes and sockets are
 * rejected before reading, because /dev/zero or a FIFO would never end, and
 * so is a file larger than `maxBytes`. fs is imported on use, so browser
 * bundles of this package need no fs shim.
 */
export async function readRegularFile(path: string, maxBytes: number, what = 'file'): Promise<Uint8Array> {
  const { open, stat } = await import('node:fs/promises');

  // Checked before opening, because opening a FIFO for reading blocks until a writer appears.
  try {
    checkRegularFile(await stat(path), path, maxBytes, what);
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError(path, describeFsError(error), what, { cause: error });
  }

  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new FileReadError(path, describeFsError(error), what, { cause: error });
  }

  try {
    // Checked again on the open file, in case the path was replaced in between.
    checkRegularFile(await handle.stat(), path, maxBytes, what);
    return await handle.readFile();
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError(path, describeFsError(error), what, { cause: error });
  } finally {
    await handle.close();
  }
}

function checkRegularFile(stats: { isDirectory(): boolean; isFile(): boolean; size: number }, path: string, maxBytes: number, what: string): void {
  if (stats.isDirectory()) throw new FileReadError(path, 'is a directory', what);
  if (!stats.isFile()) throw new FileReadError(path, 'is not a regular file (a device, pipe or socket)', what);
  if (stats.size > maxBytes) throw new FileReadError(path, `is ${stats.size} bytes, more than the limit of ${maxBytes}`, what);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
}
