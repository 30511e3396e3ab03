import { fixtureServer } from './file-requests.js';

/**
 * node:url's fileURLToPath, also for the http URLs of modules that Vitest
 * serves to the page: `/@fs/<absolute path>` for files outside the package,
 * `/<path>` for files inside it.
 */
export function fileURLToPath(url: string | URL): string {
  const parsed = new URL(String(url));
  const path = decodeURIComponent(parsed.pathname);
  if (parsed.protocol === 'file:') return path;
  if (path.startsWith('/@fs/')) return path.slice('/@fs'.length);
  return `${fixtureServer().cwd}${path}`;
}

export default { fileURLToPath };
