import { notFound, requestFile } from './file-requests.js';

interface Stats {
  readonly size: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

function statsOf(path: string): Stats {
  const { status, bytes } = requestFile(path, 'GET');
  if (status !== 200) throw notFound(path);
  return { size: bytes.length, isFile: () => true, isDirectory: () => false };
}

/** node:fs/promises's stat for the regular files the fixture server serves. */
export async function stat(path: string): Promise<Stats> {
  return statsOf(path);
}

/** node:fs/promises's open, with the stat, readFile and close that readRegularFile uses. */
export async function open(path: string): Promise<{ stat(): Promise<Stats>; readFile(): Promise<Uint8Array>; close(): Promise<void> }> {
  const { status, bytes } = requestFile(path, 'GET');
  if (status !== 200) throw notFound(path);
  const stats: Stats = { size: bytes.length, isFile: () => true, isDirectory: () => false };
  return { stat: async () => stats, readFile: async () => bytes, close: async () => {} };
}

export default { stat, open };
