#!/usr/bin/env node
// Runs a command with an X display for headless-gl. With DISPLAY set it runs
// the command as it is, and with DISPLAY unset it runs it under
// `xvfb-run -a` when xvfb-run is installed. Otherwise it still runs the
// command, so that the tests report the WebGL backend as skipped, with the
// reason, rather than failing to start.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/run-with-display.mjs COMMAND [ARGS...]');
  process.exit(2);
}

const hasXvfbRun = process.platform === 'linux' && spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const useXvfb = !process.env.DISPLAY && hasXvfbRun;
if (!process.env.DISPLAY && !hasXvfbRun && process.platform === 'linux') {
  console.error('run-with-display: DISPLAY is unset and xvfb-run is not installed (Debian packages xvfb and xauth), so headless-gl will have no display');
}

const child = useXvfb ? spawn('xvfb-run', ['-a', command, ...args], { stdio: 'inherit' }) : spawn(command, args, { stdio: 'inherit' });

// Forward Ctrl-C and termination to the child, so that xvfb-run stops its X server.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));

child.on('error', (error) => {
  console.error(`run-with-display: cannot start ${useXvfb ? 'xvfb-run' : command}: ${error.message}`);
  process.exit(127);
});
// A child killed by a signal exits as shells report it, 128 + the signal number.
child.on('exit', (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)));
