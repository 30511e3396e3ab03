import { inject } from 'vitest';

// The conformance suite reads process.cwd() and process.env, which a page lacks.
const server = inject('fixtureServer');
(globalThis as { __fixtureServer?: unknown }).__fixtureServer = server;
const env: Record<string, string> = server.fixturesEnv ? { MOBILEMAMBA_FIXTURES: server.fixturesEnv } : {};
(globalThis as { process?: unknown }).process ??= { env, cwd: () => server.cwd };
