import { packageBuild } from '../../tsup.shared.ts';

// Two entries with the same API: index.ts acquires the GPU through Dawn's Node
// bindings, index.browser.ts through navigator.gpu. package.json's `exports`
// picks one by the "node" and "browser" conditions.
export default packageBuild({
  entry: ['src/index.ts', 'src/index.browser.ts'],
  external: ['webgpu'],
});
