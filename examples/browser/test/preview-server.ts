import { preview } from 'vite';

/** A running `vite preview` of the built page. */
export interface PreviewServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the package's built dist/ with `vite preview` on the loopback
 * interface, on a port the system chooses, so parallel runs do not collide.
 */
export async function startPreview(packageDir: string): Promise<PreviewServer> {
  const server = await preview({
    root: packageDir,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });

  const url = server.resolvedUrls?.local[0];
  if (!url) {
    await server.close();
    throw new Error('vite preview started but reported no local URL');
  }
  return { url, close: () => server.close() };
}
