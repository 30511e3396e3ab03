import { defineConfig } from 'vite';

/** The servers listen on the loopback interface only. Pass --host to `vite` or `vite preview` to serve other machines. */
export default defineConfig({
  // Relative asset URLs, so dist/ works from any folder of a static server.
  base: './',
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: {
    target: 'es2022',
    // The minified bundle is about 930 kB with the three backends and the ImageNet class names.
    chunkSizeWarningLimit: 1500,
  },
});
