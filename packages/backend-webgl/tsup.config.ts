import { packageBuild } from '../../tsup.shared.ts';

// Two entries: Node runs on headless-gl, browsers on WebGL2 (the `browser` export condition).
export default packageBuild({ entry: ['src/index.ts', 'src/browser.ts'] });
