import type { FixtureServerInfo } from '../fixture-server.js';

/** The fixture server's address, which the setup file stores before any test module loads. */
export function fixtureServer(): FixtureServerInfo {
  const info = (globalThis as { __fixtureServer?: FixtureServerInfo }).__fixtureServer;
  if (!info) throw new Error('browser fs shim: the fixture server is not set; is browser/setup.ts of @mobilemamba/conformance in setupFiles?');
  return info;
}

/**
 * Requests one file from the fixture server, synchronously, because the
 * conformance suite calls readFileSync and existsSync. A charset of
 * x-user-defined keeps every byte as one character (code & 0xff), the
 * usual way to read binary data through synchronous XMLHttpRequest, which
 * cannot return an ArrayBuffer.
 */
export function requestFile(path: string, method: 'GET' | 'HEAD'): { status: number; bytes: Uint8Array } {
  const request = new XMLHttpRequest();
  request.open(method, `${fixtureServer().url}/file${encodeURI(path)}`, false);
  request.overrideMimeType('text/plain; charset=x-user-defined');
  request.send();

  const text = method === 'GET' && request.status === 200 ? request.responseText : '';
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return { status: request.status, bytes };
}

/** Error like Node's for a missing file. */
export function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
}
