import { packageBuild } from '../../tsup.shared.ts';

// Keep the `node:` prefix on the Node-only dynamic imports (worker_threads, os), so that
// browser bundlers see them as Node built-ins instead of looking for npm packages.
export default packageBuild({ removeNodeProtocol: false });
