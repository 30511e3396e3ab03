// Bare module names, because the browser config (vitest-config.ts) aliases the node: ones to the page's shims.
import { createReadStream, existsSync } from 'fs';
import { stat } from 'fs/promises';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { dirname, join, resolve, sep } from 'path';
import { fileURLToPath } from 'url';
import type { TestProject } from 'vitest/node';

/** What the page needs to read fixture files through the server. */
export interface FixtureServerInfo {
  /** Base URL; a file's bytes are at `${url}/file` + its absolute path. */
  readonly url: string;
  /** Absolute path of the backend package under test (the project root), which the page's process.cwd() returns. */
  readonly cwd: string;
  /** MOBILEMAMBA_FIXTURES of the test process, if set. */
  readonly fixturesEnv?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    fixtureServer: FixtureServerInfo;
  }
}

const browserDir = dirname(fileURLToPath(import.meta.url));

/** Finds the folder holding pnpm-workspace.yaml above this folder. */
function repositoryRoot(): string {
  for (let folder = browserDir; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'pnpm-workspace.yaml'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no pnpm-workspace.yaml above ${browserDir}`);
  }
}

/**
 * Starts a read-only HTTP server on the loopback interface for the browser
 * conformance run: the conformance suite reads fixtures with node:fs, which
 * the page replaces with synchronous requests to this server. It serves
 * regular files under the repository, the shared fixtures beside it and
 * MOBILEMAMBA_FIXTURES, returns 404 for anything else, and stops after the run.
 */
export default async function startFixtureServer(project: TestProject): Promise<() => Promise<void>> {
  const root = repositoryRoot();
  const fixturesEnv = process.env.MOBILEMAMBA_FIXTURES;
  const allowed = [root, resolve(root, '..', 'shared', 'fixtures'), ...(fixturesEnv ? [resolve(fixturesEnv)] : [])];

  const server: Server = createServer(async (request, response) => {
    response.setHeader('Access-Control-Allow-Origin', '*');
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = resolve(decodeURIComponent(url.pathname.replace(/^\/file/, '')));
    const inside = allowed.some((folder) => path === folder || path.startsWith(folder + sep));

    const stats = inside && (request.method === 'GET' || request.method === 'HEAD') ? await stat(path).catch(() => null) : null;
    if (stats === null || !stats.isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': stats.size });
    if (request.method === 'HEAD') response.end();
    else createReadStream(path).pipe(response);
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  project.provide('fixtureServer', { url: `http://127.0.0.1:${port}`, cwd: project.config.root, ...(fixturesEnv ? { fixturesEnv } : {}) });

  return () => new Promise<void>((done) => server.close(() => done()));
}
